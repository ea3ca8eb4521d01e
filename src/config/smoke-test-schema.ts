/**
 * `preview.smokeTest:` a check that each preview works, not only that its pods are ready (issue 13 item 5): a
 * command run against the preview once every resource of its sync is healthy. Its failure fails the sync, and the
 * pull request's status says so.
 */
import { z } from 'zod';
import { count, dns1035Label, pinnedImage, port } from './primitives.ts';
import { resourcesSchema } from './resources-schema.ts';

const strings = z.array(z.string({ error: 'expected a string' }), { error: 'expected a list of strings' });

export const SMOKE_TEST_DEFAULTS = {
  timeoutSeconds: 300,
  retries: 1,
  ingressPorts: [80, 443],
} as const;

export const smokeTestSchema = z.strictObject({
  image: pinnedImage.meta({
    description: 'Image that holds the smoke test, with a tag or digest (the same for every pull request). Required.',
  }),
  command: strings.min(1).meta({
    description: 'Command that tests the preview at $DYNENV_SMOKE_URL and exits non-zero when it does not work. Required.',
  }),
  args: strings.optional().meta({ description: 'Its arguments. Default: none.' }),
  service: dns1035Label.optional().meta({
    description:
      'Test this service directly, at http://<service>:<port> (its "http" port) inside the preview\'s namespace. ' +
      "Default: none: the preview's URL (`preview.host`), through the ingress controller, as a reviewer reaches it.",
  }),
  ingressPorts: z
    .array(port, { error: 'expected a list of ports' })
    .min(1, { error: 'expected at least one port' })
    .default([...SMOKE_TEST_DEFAULTS.ingressPorts])
    .meta({
      description:
        "Without `service`: the ports the smoke test may reach the ingress controller on (`cluster.ingressController.from`): its pods' " +
        "container ports (ingress-nginx 80 and 443; Traefik 8000 and 8443) or a load balancer's listeners. Default: [80, 443].",
    }),
  timeoutSeconds: count(3600, 10)
    .default(SMOKE_TEST_DEFAULTS.timeoutSeconds)
    .meta({ description: 'How long the test may run in all, retries included, before it fails (and the sync with it). Default: 300.' }),
  retries: count(10)
    .default(SMOKE_TEST_DEFAULTS.retries)
    .meta({ description: 'How many times a failed test is run again before it counts as failed. Default: 1.' }),
  resources: resourcesSchema.default({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }).meta({
    description: 'Requests and limits of the test container. Default: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } }.',
  }),
});
export type SmokeTestConfig = z.infer<typeof smokeTestSchema>;
