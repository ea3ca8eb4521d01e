import { describe } from 'vitest';
import { objectSizesRule } from '../../../src/validate/rules/object-sizes.ts';
import { addObjects, itReportsEachBreakage, objectIn } from '../fixtures.ts';

const MiB = 1024 * 1024;

describe('object-size rule', () => {
  itReportsEachBreakage(objectSizesRule, [
    {
      name: 'a ConfigMap over 1 MiB (it was not flagged before)',
      breaks: (tree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').data = { A: 'a'.repeat(MiB), B: 'b' };
      },
      expected: [`error prod ConfigMap/api-config: holds ${MiB + 1} bytes of data, more than the ${MiB} bytes (1 MiB) the API server accepts`],
    },
    {
      name: 'a Secret whose decoded data is over 1 MiB',
      breaks: (tree) => {
        addObjects(
          tree,
          'prod',
          `apiVersion: v1\nkind: Secret\nmetadata: { name: big, namespace: shop-prod }\ndata: { blob: ${Buffer.alloc(MiB + 3).toString('base64')} }`,
        );
      },
      expected: [`error prod Secret/big: holds ${MiB + 3} bytes of data, more than the ${MiB} bytes (1 MiB) the API server accepts`],
    },
    {
      name: 'nothing for a ConfigMap of exactly 1 MiB',
      breaks: (tree) => {
        objectIn(tree, 'prod', 'ConfigMap', 'api-config').data = { A: 'a'.repeat(MiB) };
      },
      expected: [],
    },
  ]);
});
