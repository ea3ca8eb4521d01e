import { Chart } from 'cdk8s';

/** One `images:` entry of a kustomization.yaml: pins an image by tag or by digest. */
export interface KustomizeImage {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** The object a patch applies to, as kustomize selects it. */
export interface PatchSelector {
  readonly kind: string;
  readonly name: string;
}

/** A patch file that names its target: the user's patches from dynenv.yaml (the escape hatch). */
export interface TargetedPatch {
  /** File name under the folder's `patches/`. */
  readonly file: string;
  readonly target: PatchSelector;
  /** A strategic merge patch (an object with apiVersion, kind and name) or a list of JSON 6902 operations. */
  readonly content: Record<string, unknown> | readonly unknown[];
}

/** The fields of a folder's kustomization.yaml that are not the chart's own files. */
export interface KustomizationFields {
  /** Namespace every object of the folder is put in. @default none (objects keep their namespace) */
  readonly namespace?: string;
  /** Folders or files included besides the chart's own objects, e.g. "../../base". @default [] */
  readonly resources?: readonly string[];
  /** Labels added to every object and pod template (not to selectors). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Image pins from configuration; pins already in the folder's kustomization.yaml win. @default [] */
  readonly images?: readonly KustomizeImage[];
  /** Patches listed after the folder's own, in this order, each with its target. @default [] */
  readonly targetedPatches?: readonly TargetedPatch[];
}

/**
 * A chart that is one folder of the GitOps tree. Its objects become that folder's files and its
 * kustomization.yaml lists them, plus what `kustomization()` adds.
 */
export abstract class TreeChart extends Chart {
  /** Folder of the chart's files, relative to gitops/ (e.g. "overlays/dev"). */
  abstract readonly directory: string;

  /** What the folder's kustomization.yaml holds besides the chart's own files. */
  kustomization(): KustomizationFields {
    return {};
  }
}
