/**
 * One pull request's previews as a cluster would get them, played with the real pieces where they exist: the
 * plugin server (against the fake GitHub) answers each ApplicationSet of the protected branch's gitops/argocd;
 * each Application is rendered as Argo CD renders it, from a real Git repository at the revision it names
 * (test/support/argocd-render.ts); Argo CD's project check decides what it may sync
 * (test/support/argocd-project.ts); and what it syncs goes through the admission policies as the application
 * controller's writes (test/support/admission.ts). Every object ends with one outcome.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '../../src/gitops/kustomize-build.ts';
import { isClusterScoped } from '../../src/validate/rules/namespaces.ts';
import { parameterSets, type Harness } from '../plugin-server/harness.ts';
import { admit, type BindingObject, type PolicyObject } from './admission.ts';
import { isDestinationPermitted, isSourcePermitted, syncPermissionError, type AppProjectObject } from './argocd-project.ts';
import { applicationsOf, renderApplication, withTracking, type ApplicationObject } from './argocd-render.ts';

const run = promisify(execFile);

/** Who Argo CD's application controller is, to the API server. */
export const APPLICATION_CONTROLLER = 'system:serviceaccount:argocd:argocd-application-controller';

/** What became of one object an Application rendered. */
export type Outcome =
  | { readonly applied: true }
  | { readonly refusedBy: 'project'; readonly message: string }
  | { readonly refusedBy: 'admission'; readonly messages: readonly string[] };

export interface ApplicationResult {
  readonly application: ApplicationObject;
  /** Why Argo CD refuses the Application as a whole (source or destination outside its project), if it does. */
  readonly invalidSpec: string | undefined;
  readonly objects: ReadonlyArray<{ readonly object: KubernetesObject; readonly outcome: Outcome }>;
}

/** Every object of the Git revision `revision`'s `folder` (the Argo CD objects the cluster was given). */
export async function objectsAtRevision(gitDirectory: string, revision: string, folder: string): Promise<KubernetesObject[]> {
  const { stdout } = await run('git', ['--git-dir', gitDirectory, 'ls-tree', '--name-only', `${revision}:${folder}`]);
  const objects: KubernetesObject[] = [];
  for (const file of stdout.split('\n').filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')) {
    const { stdout: text } = await run('git', ['--git-dir', gitDirectory, 'show', `${revision}:${folder}/${file}`]);
    objects.push(...parseAllDocuments(text).map((document) => document.toJS() as KubernetesObject));
  }
  return objects;
}

export interface PreviewClusterOptions {
  /** The bare repository that stands for the Applications' `repoURL`. */
  readonly origin: string;
  /** What was applied to Argo CD's namespace: the protected branch's gitops/argocd. */
  readonly argocd: readonly KubernetesObject[];
  /** The plugin server the ApplicationSets ask. */
  readonly plugin: Harness;
  /** The Namespace objects the API server already holds (other previews), by name. @default none */
  readonly namespaces?: ReadonlyMap<string, KubernetesObject>;
}

/**
 * Plays every ApplicationSet of `argocd` once: its plugin generator asked, its Applications rendered, each object
 * checked by its project and, when the project admits it, by the admission policies. Namespaces the previews
 * create are known to the API server in the order Argo CD applies them (a namespaced object is admitted against
 * the Namespace the fence created).
 */
export async function deployPreviews(options: PreviewClusterOptions): Promise<ApplicationResult[]> {
  const of = (kind: string) => options.argocd.filter((object) => object.kind === kind) as any[];
  const projects = new Map(of('AppProject').map((project: AppProjectObject) => [project.metadata.name, project]));
  const policies = of('ValidatingAdmissionPolicy') as PolicyObject[];
  const bindings = of('ValidatingAdmissionPolicyBinding') as BindingObject[];
  const rendered: Array<{ application: ApplicationObject; project: AppProjectObject; objects: KubernetesObject[] }> = [];
  for (const applicationSet of of('ApplicationSet')) {
    const generator = applicationSet.spec.generators[0].plugin;
    const sets = parameterSets(await options.plugin.poll(generator.input.parameters));
    for (const application of applicationsOf(applicationSet, sets)) {
      const project = projects.get(application.spec.project);
      if (!project) throw new Error(`Application ${application.metadata.name}: no AppProject ${application.spec.project}`);
      const { objects } = await renderApplication(application, { gitDirectory: options.origin });
      rendered.push({ application, project, objects: withTracking(objects, application) });
    }
  }

  const namespaces = new Map(options.namespaces);
  const results: ApplicationResult[] = [];
  // Argo CD syncs the Namespace before what goes into it (its sync wave). A workload Application that syncs
  // before its fence created the namespace fails and retries; the outcome is that of the fence going first.
  const byNamespaceFirst = (object: KubernetesObject) => (object.kind === 'Namespace' ? 0 : 1);
  const fenceFirst = (entry: { application: ApplicationObject }) => (entry.application.metadata.labels?.['dynenv.io/preview-part'] === 'fence' ? 0 : 1);
  for (const { application, project, objects } of [...rendered].sort((a, b) => fenceFirst(a) - fenceFirst(b))) {
    const { server, namespace } = application.spec.destination;
    const invalidSpec = !isSourcePermitted(project, application.spec.source.repoURL)
      ? `application repo ${application.spec.source.repoURL} is not permitted in project '${project.metadata.name}'`
      : !isDestinationPermitted(project, server, namespace)
        ? `application destination server '${server}' and namespace '${namespace}' do not match any of the allowed destinations in project '${project.metadata.name}'`
        : undefined;
    const outcomes: Array<{ object: KubernetesObject; outcome: Outcome }> = [];
    for (const object of [...objects].sort((a, b) => byNamespaceFirst(a) - byNamespaceFirst(b))) {
      const namespaced = !isClusterScoped(object.apiVersion, object.kind);
      const refusal = invalidSpec ?? syncPermissionError(project, server, object, namespaced);
      if (refusal !== undefined) {
        outcomes.push({ object, outcome: { refusedBy: 'project', message: refusal } });
        continue;
      }
      const namespaceObject = namespaced ? namespaces.get(object.metadata.namespace!) : undefined;
      if (namespaced && namespaceObject === undefined)
        throw new Error(`${object.kind}/${object.metadata.name}: namespace ${object.metadata.namespace} does not exist yet`);
      const denials = admit(policies, bindings, {
        operation: 'CREATE',
        username: APPLICATION_CONTROLLER,
        object: object as never,
        ...(namespaceObject && { namespaceObject: namespaceObject as never }),
      });
      if (denials.length > 0) {
        outcomes.push({ object, outcome: { refusedBy: 'admission', messages: denials.map((denial) => `${denial.policy}: ${denial.message}`) } });
        continue;
      }
      if (object.kind === 'Namespace') namespaces.set(object.metadata.name, object);
      outcomes.push({ object, outcome: { applied: true } });
    }
    results.push({ application, invalidSpec, objects: outcomes });
  }
  return results;
}
