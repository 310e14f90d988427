// Generic packages: publish files as the assets of a version (each with its SHA-256, the version Unfinished
// until its last asset), and download any asset to a file, checked against the SHA-256 the service lists.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import * as gov from '../core/aws/governance';
import { UserError } from '../commands/ui';
import type { ExplorerCommandDeps } from '../explorer/commands/deps';
import { repositoryRefOf } from '../explorer/commands/targets';
import { askPackage, nameOf } from './ask';

export function registerGenericCommands({ commands, connection, provider }: ExplorerCommandDeps): void {
  const client = () => connection.client();

  commands.register('codeartifact.publishGenericPackage', async ({ ui, log }, node) => {
    const row = node?.kind === 'package' && node.ref.format === 'generic' ? node : undefined;
    const repo = row?.ref ?? repositoryRefOf(node) ?? (await ui.repository({ title: 'Publish a generic package to…', client }));
    const required = (what: string) => (t: string) => (t.trim() ? undefined : `Give the ${what}`);
    const namespace = row?.ref.namespace ?? (await ui.input('namespace', { title: 'Namespace of the generic package', validate: required('namespace') }));
    const name = row?.ref.name ?? (await ui.input('package', { title: 'Name of the generic package', validate: required('package name') }));
    const version = await ui.input('version', { title: `Version of ${namespace}/${name}`, validate: required('version') });
    const files = await ui.files('files', { title: `Files to publish as ${namespace}/${name}@${version}` });
    const assets: gov.GenericAsset[] = [];
    for (const file of files) {
      try {
        assets.push({ name: basename(file), content: await readFile(file) });
      } catch (e) {
        throw new UserError(`Cannot read "${file}" (files): ${(e as Error).message}`);
      }
    }
    const names = assets.map((a) => a.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new UserError(`Two files are named ${twice}: each file becomes an asset named after it.`);
    const ref = { domain: repo.domain, domainOwner: repo.domainOwner, repository: repo.repository, namespace, name, version };
    const total = assets.reduce((n, a) => n + a.content.byteLength, 0) || 1;
    const ca = await client();
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Publishing ${namespace}/${name}@${version}` }, (progress) =>
      gov.publishGeneric(ca, ref, assets, (done, count, asset) => {
        const size = assets[done - 1].content.byteLength;
        progress.report({ message: `${asset} (${done}/${count})`, increment: (size / total) * 100 });
      }),
    );
    provider.packageChanged({ ...repo, format: 'generic', namespace, name });
    log.info(`Published ${namespace}/${name}@${version} (${assets.length} asset(s)) to ${repo.domain}/${repo.repository}`);
    ui.info(`Published ${namespace}/${name}@${version} to ${repo.repository}: ${result.assets.map((a) => a.name).join(', ')}.`);
    return result;
  });

  commands.register('codeartifact.downloadAsset', async ({ ui, log }, node) => {
    let pkgRef;
    let version: string;
    let asset: string;
    if (node?.kind === 'asset') {
      pkgRef = node.parent.parent.ref;
      version = node.parent.summary.version!;
      asset = node.summary.name!;
    } else {
      pkgRef = (await askPackage(ui, client, node, 'Download an asset of…')).ref;
      version = node?.kind === 'version' ? node.summary.version! : await ui.input('version', { title: `Version of ${nameOf(pkgRef)}` });
      const listed = await (await client()).listPackageVersionAssets(pkgRef, version, undefined, 1000);
      asset = await ui.pick(
        'asset',
        listed.items.map((a) => ({ label: a.name!, description: `${a.size ?? '?'} bytes`, value: a.name! })),
        { title: `Asset of ${nameOf(pkgRef)}@${version}` },
      );
    }
    const target = await ui.saveAs('target', { title: `Save ${asset} as…`, defaultName: asset });
    const ca = await client();
    const bytes = await gov.getAsset(ca, pkgRef, version, asset);
    const listed = (await ca.listPackageVersionAssets(pkgRef, version, undefined, 1000)).items.find((a) => a.name === asset);
    const sha256 = gov.sha256Hex(bytes);
    const expected = listed?.hashes?.['SHA-256'];
    if (expected && expected !== sha256) throw new UserError(`The download of ${asset} does not match its SHA-256 (${expected}); nothing was written.`);
    // Written next to the target and renamed over it: a failed download never leaves half a file.
    const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
    try {
      await writeFile(partial, bytes);
      await rename(partial, target);
    } catch (e) {
      await rm(partial, { force: true });
      throw new UserError(`Cannot write "${target}" (target): ${(e as Error).message}`);
    }
    log.info(`Downloaded ${asset} of ${nameOf(pkgRef)}@${version} to ${target}`);
    ui.info(`Saved ${asset} (${bytes.byteLength} bytes) to ${target}.`);
    return { target, size: bytes.byteLength, sha256 };
  });
}
