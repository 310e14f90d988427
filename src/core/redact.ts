// Redaction: the one place that keeps a secret (the CodeArtifact token) out of messages, logs and streamed tool
// output. A secret is blanked in every form a tool or library may print it: as is, URL-encoded (a pip index URL
// `https://aws:TOKEN@host`), and as the HTTP Basic credentials `base64("aws:" + token)` that pip, twine, Maven
// and Gradle send.

const MASK = '******';

/** Shorter values are not treated as secrets: blanking them would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

/** Every form in which `secrets` may appear in text, longest first (so a longer form is blanked whole). */
function secretForms(secrets: readonly string[] | undefined): string[] {
  const forms = new Set<string>();
  for (const s of secrets ?? []) {
    if (!s || s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(encodeURIComponent(s));
    forms.add(Buffer.from(`aws:${s}`).toString('base64'));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function blank(text: string, forms: readonly string[]): string {
  let out = text;
  for (const f of forms) out = out.split(f).join(MASK);
  return out;
}

/** `text` with every form of every secret replaced by `******`. */
export function redact(text: string, secrets: readonly string[] | undefined): string {
  return blank(text, secretForms(secrets));
}

/**
 * Redacts secrets from a stream of chunks: a secret split across two chunks is caught too, because the end of a
 * chunk that could begin a secret is held back until the next chunk (or flush) shows whether it does.
 */
export class StreamRedactor {
  private pending = '';
  private readonly forms: string[];

  constructor(secrets: readonly string[]) {
    this.forms = secretForms(secrets);
  }

  push(chunk: string): string {
    const text = blank(this.pending + chunk, this.forms);
    let hold = 0;
    for (const s of this.forms) {
      for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
        if (text.endsWith(s.slice(0, k))) {
          hold = k;
          break;
        }
      }
    }
    this.pending = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
