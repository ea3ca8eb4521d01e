/**
 * The dynenv image put together as its Dockerfile says, without a Docker daemon (there is none here): the build
 * context is this checkout filtered by .dockerignore as Docker filters it; the build stage is stood for by this
 * checkout after `npm run build` (vitest's global setup), with only the production dependencies in its
 * node_modules; the last stage's COPY instructions are carried out into a fresh folder. What runs from that folder
 * is what the image holds: a file the Dockerfile forgets to copy, or a dependency the image lacks, fails there.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, readdir, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './workspace.ts';

export interface Instruction {
  /** FROM, COPY, RUN... in upper case. */
  readonly keyword: string;
  /** What follows the keyword, continuation lines joined. */
  readonly rest: string;
}

/** The instructions of a Dockerfile: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.trimEnd().endsWith('\\')) {
      pending += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const keyword = whole.split(/\s+/)[0] ?? '';
    instructions.push({ keyword: keyword.toUpperCase(), rest: whole.slice(keyword.length).trim() });
  }
  return instructions;
}

/** The instructions of the last stage (from its FROM on). */
export function lastStage(instructions: readonly Instruction[]): Instruction[] {
  const from = instructions.map((instruction) => instruction.keyword).lastIndexOf('FROM');
  return instructions.slice(from);
}

/** The instructions of the stage `FROM ... AS <name>` (from its FROM to the next). */
export function stageNamed(instructions: readonly Instruction[], name: string): Instruction[] {
  const start = instructions.findIndex((instruction) => instruction.keyword === 'FROM' && instruction.rest.split(/\s+/).at(-1) === name);
  if (start === -1) return [];
  const next = instructions.findIndex((instruction, index) => index > start && instruction.keyword === 'FROM');
  return instructions.slice(start, next === -1 ? undefined : next);
}

/** An exec-form (JSON array) argument, as ENTRYPOINT and CMD take it. */
export function execForm(rest: string): string[] {
  return JSON.parse(rest) as string[];
}

/**
 * Docker's .dockerignore matching (moby/patternmatcher): patterns are cleaned paths relative to the context,
 * `*` and `?` stay within one folder, `**` spans folders, `!` re-includes, the last matching pattern decides, and
 * a path is matched when it or one of its parent folders is.
 */
export function dockerignore(text: string): (relativePath: string) => boolean {
  const patterns = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclusion = line.startsWith('!');
      const pattern = path.posix.normalize(exclusion ? line.slice(1).trim() : line).replace(/^\/+|\/+$/g, '');
      return { exclusion, regex: patternRegex(pattern) };
    });
  return (relativePath) => {
    const parents = relativePath.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const { exclusion, regex } of patterns) {
      if (parents.some((candidate) => regex.test(candidate))) ignored = !exclusion;
    }
    return ignored;
  };
}

function patternRegex(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index]!;
    if (character === '*' && pattern[index + 1] === '*') {
      // `**/` is any number of folders, none included; a trailing `**` is anything.
      if (pattern[index + 2] === '/') {
        source += '(?:.*/)?';
        index += 2;
      } else {
        source += '.*';
        index += 1;
      }
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Every file of the build context (paths relative to the checkout): what `docker build .` sends. */
export async function buildContext(): Promise<string[]> {
  const ignored = dockerignore(await readFile(path.join(REPO_ROOT, '.dockerignore'), 'utf8'));
  const files: string[] = [];
  for (const entry of await readdir(REPO_ROOT, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const relative = path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (relative.startsWith('.git/') || relative.startsWith('node_modules/')) {
      // Not walked file by file (too many): their folders are left out as a whole or not at all.
      if (!ignored(relative.split('/')[0]!)) files.push(relative);
      continue;
    }
    if (!ignored(relative)) files.push(relative);
  }
  return files;
}

export interface AssembledImage {
  /** The image's WORKDIR, as a folder here. */
  readonly root: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly user: string;
  readonly exposed: readonly string[];
}

/**
 * Carries out the last stage's COPY instructions into the empty folder `root`: `--from=<stage>` copies from this checkout
 * (the build stage, after `npm run build`) whose node_modules holds only the production dependencies; a COPY
 * without `--from` copies from the build context.
 */
export async function assembleImage(root: string, dockerfile = path.join(REPO_ROOT, 'Dockerfile')): Promise<AssembledImage> {
  const stage = lastStage(parseDockerfile(await readFile(dockerfile, 'utf8')));
  const production = await productionModules();
  const context = new Set(await buildContext());
  const env: Record<string, string> = {};
  let entrypoint: string[] = [];
  let cmd: string[] = [];
  let user = 'root';
  const exposed: string[] = [];
  for (const { keyword, rest } of stage) {
    if (keyword === 'ENV') {
      const [name, ...value] = rest.split('=');
      env[name!] = value.join('=');
    } else if (keyword === 'ENTRYPOINT') entrypoint = execForm(rest);
    else if (keyword === 'CMD') cmd = execForm(rest);
    else if (keyword === 'USER') user = rest;
    else if (keyword === 'EXPOSE') exposed.push(...rest.split(/\s+/));
    else if (keyword === 'COPY') {
      const words = rest.split(/\s+/);
      const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
      const [destination, ...sources] = words.filter((word) => !word.startsWith('--')).reverse();
      for (const source of sources.reverse()) {
        if (from === undefined) await copyFromContext(source, path.join(root, destination!), context);
        else await copyFromBuildStage(source, path.join(root, destination!), destination!.endsWith('/'), production);
      }
    }
  }
  return { root, entrypoint, cmd, env, user, exposed };
}

/**
 * COPY's rule: a folder's contents go into the destination; a file goes into the destination when that ends with
 * "/", else becomes it. A path of the build stage (`/app/...`) stands for the same path of this checkout, and
 * its node_modules for the production part of this checkout's.
 */
async function copyFromBuildStage(source: string, destination: string, intoFolder: boolean, production: readonly string[]): Promise<void> {
  const relative = path.posix.relative('/app', source);
  if (relative === 'node_modules') {
    // Links to the production packages only; NODE_OPTIONS=--preserve-symlinks makes Node resolve from the links.
    for (const modulePath of production) {
      const link = path.join(destination, modulePath);
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(path.join(REPO_ROOT, 'node_modules', modulePath), link);
    }
    return;
  }
  const from = path.join(REPO_ROOT, relative);
  const isFolder = (await stat(from)).isDirectory();
  const to = !isFolder && intoFolder ? path.join(destination, path.basename(from)) : destination;
  await mkdir(path.dirname(to), { recursive: true });
  await cp(from, to, { recursive: true });
}

/** The same rule, from the build context (only the files .dockerignore lets through). */
async function copyFromContext(source: string, destination: string, context: ReadonlySet<string>): Promise<void> {
  const prefix = path.posix.normalize(source).replace(/\/+$/, '');
  const files = [...context].filter((file) => prefix === '.' || file.startsWith(`${prefix}/`));
  if (files.length === 0 && context.has(prefix)) files.push(prefix);
  for (const file of files) {
    const to =
      file === prefix
        ? source.endsWith('/') || destination.endsWith(path.sep)
          ? path.join(destination, path.posix.basename(file))
          : destination
        : path.join(destination, prefix === '.' ? file : file.slice(prefix.length + 1));
    await mkdir(path.dirname(to), { recursive: true });
    await cp(path.join(REPO_ROOT, file), to);
  }
}

/** The top-level packages `npm prune --omit=dev` keeps (nested ones come with their parent's folder). */
async function productionModules(): Promise<string[]> {
  // npm ls exits non-zero on any oddity of the tree (an extraneous package): its listing is still complete.
  const stdout = await promisify(execFile)('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { stdout?: string }) => error.stdout ?? '',
  );
  const modules = path.join(REPO_ROOT, 'node_modules') + path.sep;
  return [
    ...new Set(
      stdout
        .split('\n')
        .filter((line) => line.startsWith(modules))
        .map((line) => path.relative(path.join(REPO_ROOT, 'node_modules'), line))
        .filter((relative) => !relative.includes(`${path.sep}node_modules${path.sep}`)),
    ),
  ].sort();
}
