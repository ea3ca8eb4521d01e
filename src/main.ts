/**
 * The cdk8s app named in cdk8s.yaml, for `npx cdk8s synth`: writes one flat manifest per chart to the scratch
 * folder (cdk8s.out/). The GitOps tree itself is laid out by `npx dynenv synth`.
 */
import { buildApp } from './charts/dynenv-app.ts';
import { loadConfig } from './config/load.ts';

const config = await loadConfig(process.env.DYNENV_CONFIG ?? 'dynenv.yaml');
buildApp(config).synth();
