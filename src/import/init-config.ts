/**
 * What `dynenv init` does: writes a commented dynenv.yaml, the starter or one imported from manifests, with the
 * files the import needs beside it, and says what became of each object. It never overwrites anything: when
 * dynenv.yaml or any file it would write exists, it writes nothing. What it writes is checked against the schema
 * first, so that `synth` and `validate` take it as it is.
 */
import { mkdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseConfig } from '../config/load.ts';
import { UserError } from '../../contract/errors.ts';
import { importApplication } from './import-application.ts';
import { readManifests } from './manifests.ts';
import { renderImportedConfig } from './render-config.ts';
import { starterConfig } from './starter.ts';

export interface InitRequest {
  /** dynenv.yaml to write (absolute). */
  readonly configFile: string;
  /** Files and folders of manifests; empty for the starter. */
  readonly from: readonly string[];
  /** Folder the `from` paths are relative to. */
  readonly cwd: string;
  /** @default the name of the folder of dynenv.yaml, as a DNS label */
  readonly app?: string;
  /** repository.url. @default none (only base and overlays are synthesized) */
  readonly repositoryUrl?: string;
}

export interface InitResult {
  /** Files written, relative to the folder of dynenv.yaml, dynenv.yaml last. */
  readonly written: readonly string[];
  /** What to print: each object's outcome, the notes, what to do next. */
  readonly report: string;
}

/** The dynenv image named for the Argo CD objects: the repository owner's build of this version. */
const DYNENV_VERSION = '0.1.0';

export async function initConfig(request: InitRequest): Promise<InitResult> {
  const folder = path.dirname(request.configFile);
  const configName = path.relative(request.cwd, request.configFile) || path.basename(request.configFile);
  if (await exists(request.configFile)) {
    throw new UserError(`${configName} already exists: dynenv init never overwrites it (move it away, or write another file with --config)`);
  }
  const app = request.app ?? appNameFrom(path.basename(folder));
  const pluginImage = request.repositoryUrl ? pluginImageFor(request.repositoryUrl) : undefined;
  const files = new Map<string, string>();
  let text: string;
  let report: string[];
  if (request.from.length === 0) {
    text = starterConfig({ app, ...(request.repositoryUrl && { repositoryUrl: request.repositoryUrl, pluginImage }) });
    report = [`wrote the starter configuration of ${app}`];
  } else {
    const manifests = await readManifests(request.from, request.cwd);
    const imported = importApplication(manifests, { app, ...(request.repositoryUrl && { repositoryUrl: request.repositoryUrl, pluginImage }) });
    text = renderImportedConfig(imported, request.from);
    for (const [file, content] of imported.files) files.set(file, content);
    report = [
      ...imported.notes.inInputOrder().map((outcome) => `${outcome.object} → ${outcome.action}`),
      ...[...imported.serviceNotes.values()].flat().map((note) => `note: ${note}`),
      ...imported.notes.notes.map((note) => `note: ${note}`),
    ];
  }
  try {
    parseConfig(text, configName);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UserError(`the configuration imported from ${request.from.join(', ')} is not valid, so nothing was written:\n  ${error.problems.join('\n  ')}`);
  }
  for (const file of files.keys()) {
    if (await exists(path.join(folder, file)))
      throw new UserError(`${path.join(path.dirname(configName), file)} already exists: dynenv init never overwrites a file, so nothing was written`);
  }
  for (const [file, content] of files) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), content, { flag: 'wx' });
  }
  await writeFile(request.configFile, text, { flag: 'wx' });
  const written = [...files.keys(), path.basename(request.configFile)];
  report.push(`wrote ${written.join(', ')}`, 'next: dynenv synth && dynenv validate');
  return { written, report: `${report.join('\n')}\n` };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** A folder name as an app name: lower case, a letter first, "-" between words, at most 43 characters. */
export function appNameFrom(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 43)
    .replace(/-+$/, '');
  return name === '' ? 'app' : name;
}

function pluginImageFor(url: string): string {
  const owner = /github\.com[/:]([^/]+)\//.exec(url)?.[1]?.toLowerCase();
  return `ghcr.io/${owner ?? 'example'}/dynenv:${DYNENV_VERSION}`;
}
