// --tls: a certificate authority made at start and a server certificate it signs (node-forge builds and signs
// the X.509 certificates; Node's crypto makes the keys, much faster than forge's pure-JS key generation).
// The CA is written to a fresh temporary folder so clients can be told to trust it (codeartifact.caFile,
// NODE_EXTRA_CA_CERTS, `aws --ca-bundle`); nothing else is kept.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  /** PEM of the server's key and certificate chain (leaf, then CA). */
  key: string;
  cert: string;
  /** PEM of the CA that signed it, and the file it was written to. */
  caPem: string;
  caFile: string;
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

function certificate(subjectCn: string, publicKey: forge.pki.PublicKey, issuer: forge.pki.CertificateField[] | undefined, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the first byte below 0x80.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  const subject = [
    { name: 'commonName', value: subjectCn },
    { name: 'organizationName', value: 'CodeArtifact emulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(issuer ?? subject);
  return cert;
}

/** A CA and a server certificate for `hosts` (names and IP addresses), the CA written to a temporary file. */
export function makeTlsMaterial(hosts: string[]): TlsMaterial {
  const ca = keyPair();
  const caCert = certificate('CodeArtifact emulator test CA', ca.publicKey, undefined, 30);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const leaf = keyPair();
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts.filter(Boolean)])];
  const leafCert = certificate(names.find((n) => !isIP(n)) ?? 'localhost', leaf.publicKey, caCert.subject.attributes, 30);
  leafCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leafCert.sign(ca.privateKey, forge.md.sha256.create());

  const caPem = forge.pki.certificateToPem(caCert);
  const caFile = join(mkdtempSync(join(tmpdir(), 'codeartifact-emulator-tls-')), 'ca.pem');
  writeFileSync(caFile, caPem, { mode: 0o644 });
  return { key: leaf.pem, cert: forge.pki.certificateToPem(leafCert) + caPem, caPem, caFile };
}
