/** The ports of a service: what its containers listen on and what its Service exposes. */
import { z } from 'zod';
import { port } from './primitives.ts';

// IANA service names, as Kubernetes requires of port names: at most 15 characters, a letter, no "--".
export const portName = z
  .string({ error: 'expected a port name' })
  .regex(/^(?!.*--)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: 'expected a port name of lower-case letters, digits and single "-", with at least one letter',
  })
  .max(15, { error: 'expected at most 15 characters (a Kubernetes port name)' });

export const portSchema = z.strictObject({
  name: portName.meta({ description: 'Name of the port (the Service port and the container port share it), e.g. "grpc". Required.' }),
  containerPort: port.meta({ description: 'Port the container listens on. Required.' }),
  port: port.optional().meta({ description: 'Port the Service exposes, which callers address ("cartservice:7070"). Default: the container port.' }),
  protocol: z
    .enum(['TCP', 'UDP', 'SCTP'], { error: 'expected "TCP", "UDP" or "SCTP"' })
    .default('TCP')
    .meta({ description: 'Transport protocol. Default: "TCP".' }),
  appProtocol: z
    .string({ error: 'expected an application protocol such as "grpc" or "http"' })
    .regex(/^([a-z0-9.-]+\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
      error: 'expected an application protocol such as "grpc", "http", "tcp" or "kubernetes.io/h2c"',
    })
    .optional()
    .meta({ description: 'Application protocol for meshes and gateways ("grpc", "http", "http2", "tcp"). Default: none.' }),
});
export type PortConfig = z.infer<typeof portSchema>;

export const portsSchema = z
  .array(portSchema, { error: 'expected a list of ports' })
  .min(1, { error: 'expected at least one port (leave "ports" out for a service without one)' })
  .optional()
  .meta({
    description:
      'Named ports, all exposed on the service\'s Service; the Ingress routes to the one named "http". Use instead of `port`. ' + 'Default: none (no Service).',
  });

/** A reference to a port of the same service: its name, or a number. */
export const portReference = z.union([port, portName], { error: 'expected a port name or number' });
