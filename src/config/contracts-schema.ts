/**
 * Service-to-service contracts: who calls a service (`allowFrom`) and whom a service calls (`talksTo`). A service
 * that declares one is fenced to it inside its namespace: its NetworkPolicies admit exactly those peers on exactly
 * those ports, instead of every pod of the namespace.
 */
import { z } from 'zod';
import { portName } from './ports-schema.ts';
import { dns1035Name } from './primitives.ts';

const peer = (ports: string) =>
  z.union(
    [
      dns1035Name,
      z.strictObject({
        service: dns1035Name.meta({ description: 'Name of the other service. Required.' }),
        ports: z
          .array(portName, { error: 'expected a list of port names' })
          .min(1, { error: 'expected at least one port name (leave "ports" out for every port)' })
          .optional()
          .meta({ description: `${ports} Default: every port.` }),
      }),
    ],
    { error: 'expected a service name, or { service, ports }' },
  );

export const allowFromSchema = z
  .array(peer('Names of ports of this service it may call.'), { error: 'expected a list of service names or { service, ports }' })
  .optional()
  .meta({
    description:
      'The services that call this one, each on every port or on the ports named: inside the namespace, only their pods reach ' +
      "this service's pods (the ingress controller still reaches the port an Ingress routes to). [] admits none. " +
      'Default: none declared (every pod of the namespace may call it).',
  });

export const talksToSchema = z
  .array(peer('Names of ports of that service this one calls.'), { error: 'expected a list of service names or { service, ports }' })
  .optional()
  .meta({
    description:
      'The services this one calls, each on every port or on the ports named: inside the namespace, its pods reach only theirs ' +
      '(and its own preview database); DNS and egress beyond the namespace stay as configured. [] calls none. ' +
      'Default: none declared (it may call every pod of the namespace).',
  });

export type ContractPeer = NonNullable<z.infer<typeof allowFromSchema>>[number];
