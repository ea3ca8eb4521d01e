import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

export interface KustomizePatchProps {
  /** apiVersion of the object the patch applies to, e.g. "apps/v1". */
  readonly apiVersion: string;
  /** Kind of the object the patch applies to, e.g. "Deployment". */
  readonly kind: string;
  /** Name of the object the patch applies to (in the base). */
  readonly name: string;
  /** The fields the patch sets, merged into the object by kustomize's strategic merge. @default {} */
  readonly body?: Record<string, unknown>;
}

const PATCH = Symbol('dynenv.KustomizePatch');

/**
 * A strategic-merge patch on an object of the base, written to the overlay's `patches/` folder and listed under
 * `patches:` in its kustomization.yaml rather than `resources:`. It is only the fields it sets, so it is not a
 * valid object on its own.
 */
export class KustomizePatch extends ApiObject {
  /**
   * Whether `object` is a patch. (`instanceof` cannot tell: cdk8s answers it for every ApiObject subclass with
   * ApiObject's own check.)
   */
  static isPatch(object: unknown): object is KustomizePatch {
    return typeof object === 'object' && object !== null && PATCH in object;
  }

  private readonly [PATCH] = true;

  constructor(scope: Construct, id: string, props: KustomizePatchProps) {
    super(scope, id, { apiVersion: props.apiVersion, kind: props.kind, metadata: { name: props.name }, ...props.body });
  }
}
