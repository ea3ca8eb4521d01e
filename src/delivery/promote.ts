/**
 * `dynenv promote` as a function: moves image digests into an environment through a pull request that edits
 * only the `digest:` values of its overlay's kustomization.yaml, on a branch built from the deployed branch
 * as origin holds it. Everything that can be refused (flags, configuration, working tree, the digest's
 * provenance) is refused before GitHub is called or anything is pushed.
 */
import path from 'node:path';
import { IMAGE_DIGEST, PINNED_ENVIRONMENTS, type EnvironmentName, type ServiceConfig } from '../config/schema.ts';
import { UsageError, UserError } from '../../contract/errors.ts';
import { writeFileAtomically } from '../gitops/write.ts';
import { isShallowClone, REMOTE } from './checkout.ts';
import { baseBranch, fetchBase, openWorkspace, type DeliveryWorkspace } from './delivery-workspace.ts';
import { connectGitHub, type GitHubSettings } from './github-target.ts';
import { readImagePins, setImageDigests } from './image-pins.ts';
import { readPinHistory, type PinChange } from './pin-history.ts';
import { planPromotion, type OverlaySource, type PromotionPlan } from './promotion-plan.ts';
import {
  overlayKustomization,
  parseEnvironment,
  PROMOTION_SOURCES,
  requirePromotionSource,
  requirePromotionTarget,
  unknownServiceError,
  upstreamOf,
} from './promotion-route.ts';
import { promotionBody, promotionBranch, promotionCommitMessage, promotionTitle } from './promotion-text.ts';
import { publishBranch, type PublishResult } from './publish-branch.ts';

export interface PromoteOptions extends GitHubSettings {
  /** Folder the command runs in. */
  readonly cwd: string;
  /** @default "dynenv.yaml" */
  readonly configFile?: string;
  /** @default "gitops" */
  readonly outDir?: string;
  /** The service to promote; exactly one of `service` and `all`. */
  readonly service?: string;
  /** Promote every service. @default false */
  readonly all?: boolean;
  /** The environment promoted to: staging or prod. Required. */
  readonly to: string;
  /** The environment the digest comes from. @default the one before `to` (dev → staging → prod) */
  readonly from?: string;
  /** The digest to promote. @default the digest `from` runs */
  readonly digest?: string;
  /** Promote a digest the source environment never ran. @default false */
  readonly force?: boolean;
  /** The branch the environments deploy from. @default repository.branch, else origin's default branch */
  readonly base?: string;
}

export type PromoteResult =
  | { readonly outcome: 'nothing-to-promote'; readonly plan: PromotionPlan }
  | { readonly outcome: 'published'; readonly plan: PromotionPlan; readonly branch: string; readonly publish: PublishResult };

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const target = parseEnvironment('--to', options.to, PINNED_ENVIRONMENTS);
  requirePromotionTarget(target);
  const source = options.from === undefined ? upstreamOf(target) : parseEnvironment('--from', options.from, PROMOTION_SOURCES);
  requirePromotionSource(source, target);
  if (options.digest !== undefined && !IMAGE_DIGEST.test(options.digest)) {
    throw new UsageError(`--digest: expected "sha256:" followed by 64 lower-case hex digits, got ${JSON.stringify(options.digest)}`);
  }
  if (options.all && options.service !== undefined) throw new UsageError('--all and --service: give one of them');
  if (options.all && options.digest !== undefined) throw new UsageError('--all and --digest: each service has its own digest; --all takes them from --from');
  if (!options.all && options.service === undefined) throw new UsageError('--service NAME (or --all) is required');

  const workspace = await openWorkspace({
    cwd: options.cwd,
    configFile: options.configFile ?? 'dynenv.yaml',
    outDir: options.outDir ?? 'gitops',
    command: 'dynenv promote',
  });
  const services = selectServices(workspace, options);
  const base = await baseBranch(workspace, options.base);
  const baseCommit = await fetchBase(workspace, base);
  const caveat = (await isShallowClone(workspace.checkout))
    ? 'this clone is shallow, so its history may stop before that: run `git fetch --unshallow` and try again'
    : undefined;
  const overlays = overlaysAt(workspace, baseCommit, `${REMOTE}/${base}`, caveat);
  const plan = await planPromotion(overlays, { services, target, source, digest: options.digest, force: options.force ?? false });
  if (plan.promotions.length === 0) return { outcome: 'nothing-to-promote', plan };

  const targetFile = overlays.file(target);
  const original = (await workspace.checkout.git.readFileAt(baseCommit, targetFile))!;
  const [replaced, first] = [plan.promotions.filter((p) => p.from.startsWith('sha256:')), plan.promotions.filter((p) => !p.from.startsWith('sha256:'))];
  const edited = setImageDigests(
    original,
    `${targetFile} on ${overlays.label}`,
    new Map(replaced.map((p) => [p.image, p.to])),
    new Map(first.map((p) => [p.image, p.to])),
  );
  const github = await connectGitHub(workspace.checkout, workspace.config, options);
  const branch = promotionBranch(plan);
  const publish = await publishBranch(workspace.checkout, github, {
    branch,
    parent: baseCommit,
    paths: [targetFile],
    commitPaths: [targetFile],
    edit: (root) => writeFileAtomically(path.join(root, targetFile), edited),
    commitMessage: promotionCommitMessage(plan),
    command: 'promote',
    pullRequest: {
      title: promotionTitle(plan),
      body: promotionBody(plan, { base, baseCommit, targetFile, sourceFile: overlays.file(source) }),
      base,
    },
  });
  return { outcome: 'published', plan, branch, publish };
}

function selectServices(workspace: DeliveryWorkspace, options: PromoteOptions): ServiceConfig[] {
  const services = workspace.config.services;
  if (options.all) return [...services];
  const service = services.find((candidate) => candidate.name === options.service);
  if (!service) {
    throw unknownServiceError(options.service, options.configFile ?? 'dynenv.yaml', services);
  }
  return [service];
}

/** The overlays at `commit` of the base branch, each file and history read once. */
function overlaysAt(workspace: DeliveryWorkspace, commit: string, label: string, historyCaveat: string | undefined): OverlaySource {
  const git = workspace.checkout.git;
  const file = (environment: EnvironmentName) => overlayKustomization(workspace.outPath, environment);
  const histories = new Map<EnvironmentName, Promise<PinChange[]>>();
  return {
    label,
    file,
    historyCaveat,
    async pins(environment) {
      const text = await git.readFileAt(commit, file(environment));
      if (text === undefined) {
        throw new UserError(`${file(environment)} does not exist on ${label}: synthesize the tree (npx dynenv synth), merge it, then promote`);
      }
      return readImagePins(text, `${file(environment)} on ${label}`);
    },
    history(environment) {
      let history = histories.get(environment);
      if (!history) {
        history = readPinHistory(git, commit, file(environment));
        histories.set(environment, history);
      }
      return history;
    },
  };
}
