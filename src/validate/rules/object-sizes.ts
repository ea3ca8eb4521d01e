/**
 * Objects the API server refuses for their size: a ConfigMap or Secret whose data passes 1 MiB (the values
 * counted, as the API server counts them). Synthesis refuses variables that would make one; a file or object
 * added to the tree by hand is caught here, before Argo CD meets the refusal at sync time.
 */
import { MAX_CONFIGMAP_DATA_BYTES } from '../../config/env-checks.ts';
import { finding } from '../finding.ts';
import { isKind } from '../kinds.ts';
import { asRecord } from '../object-access.ts';
import type { Rule } from '../rule.ts';

export const objectSizesRule: Rule = {
  id: 'object-size',
  summary: `no ConfigMap or Secret holds more than ${MAX_CONFIGMAP_DATA_BYTES} bytes (1 MiB) of data`,
  check(tree) {
    return tree.scopes.flatMap((scope) =>
      scope.objects
        .filter((object) => isKind(object, '', 'ConfigMap') || isKind(object, '', 'Secret'))
        .flatMap((object) => {
          const size =
            dataBytes(object.kind === 'Secret', asRecord(object.data)) +
            dataBytes(false, asRecord(object.stringData)) +
            dataBytes(true, asRecord(object.binaryData));
          if (size <= MAX_CONFIGMAP_DATA_BYTES) return [];
          return [
            finding(
              'object-size',
              { scope: scope.name, object },
              `holds ${size} bytes of data, more than the ${MAX_CONFIGMAP_DATA_BYTES} bytes (1 MiB) the API server accepts`,
              'split it, or keep large content in an image or a volume',
            ),
          ];
        }),
    );
  },
};

/** The bytes of the values of a data map; base64 values (a Secret's data, binaryData) count decoded. */
function dataBytes(base64: boolean, data: Record<string, unknown> | undefined): number {
  return Object.values(data ?? {}).reduce<number>(
    (total, value) => total + (typeof value !== 'string' ? 0 : base64 ? Buffer.from(value, 'base64').length : Buffer.byteLength(value)),
    0,
  );
}
