/**
 * The imported configuration as the text of dynenv.yaml: a header that says how it was made and how a service
 * that was never promoted runs, and above each service where it came from and what the import could not carry.
 * Small maps (a port, a probe's check) are written on one line, as a person would.
 */
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ImportedApplication } from './import-application.ts';

const FLOW_WIDTH = 100;

export function renderImportedConfig(imported: ImportedApplication, inputs: readonly string[]): string {
  const document = new Document(imported.config);
  const header = [
    `dynenv.yaml of ${imported.config.app}, written by \`dynenv init --from ${inputs.join(' ')}\`.`,
    '`dynenv synth` turns it into the Kustomize tree in gitops/, `dynenv validate` checks that tree.',
    'Above each service: the object it came from and what the import changed or carried in its `patches`.',
    'Images this application builds (builtHere: true) run the imported tag in every environment until the first',
    '`dynenv promote` pins a digest there; `dynenv validate` warns about staging and prod until it does.',
    ...([...imported.files.keys()].some((file) => file.startsWith('gitops/'))
      ? ['Objects kept as they were are in gitops/overlays/<env>/extra/: yours to edit, synth lists them and never touches them.']
      : []),
    ...imported.notes.notes,
  ];
  document.commentBefore = header.map((line) => ` ${line}`).join('\n');
  const services = document.get('services');
  if (isSeq(services)) {
    services.items.forEach((item, index) => {
      const name = (imported.config.services[index] as { name: string }).name;
      const lines = [
        `from ${imported.origins.get(name)}`,
        ...(imported.serviceNotes.get(name) ?? []).map((note) => `- ${note.replace(new RegExp(`^${name}: `), '')}`),
      ];
      (item as Node).commentBefore = lines.map((line) => ` ${line}`).join('\n');
    });
  }
  // The top level and its sections stay in block style, however short.
  if (isMap(document.contents)) {
    for (const pair of document.contents.items) {
      const section = pair.value as Node;
      if (isMap(section)) for (const inner of section.items) flowSmallMaps(inner.value as Node);
      else flowSmallMaps(section);
      if (isScalar(pair.key) && pair.key.value === 'argocd') {
        (pair.key as Node).commentBefore = ' The dynenv image your cluster runs for the Argo CD objects: build and push it (README, "Install on Argo CD").';
      }
    }
  }
  commentLeftOutOfPreviews(document, imported.leftOutOfPreviews);
  return document.toString({ lineWidth: 0 });
}

/** Above each `environments.preview.services.<svc>` left out of previews: why (a comment needs the block style). */
function commentLeftOutOfPreviews(document: Document, leftOut: ImportedApplication['leftOutOfPreviews']): void {
  const preview = document.getIn(['environments', 'preview']);
  const services = document.getIn(['environments', 'preview', 'services']);
  if (!isMap(preview) || !isMap(services)) return;
  for (const pair of services.items) {
    const reasons = isScalar(pair.key) ? leftOut.get(String(pair.key.value)) : undefined;
    if (reasons === undefined) continue;
    (pair.key as Node).commentBefore = ` left out of previews: ${reasons.join(', ')}, which a preview's fence refuses at any Pod Security level`;
    preview.flow = false;
    services.flow = false;
  }
}

/** Writes maps and lists of scalars that fit on a line in flow style. */
function flowSmallMaps(node: Node | null | undefined): void {
  if (!node) return;
  if (isMap(node) || isSeq(node)) {
    const children = isMap(node) ? node.items.map((pair) => pair.value as Node) : (node.items as Node[]);
    for (const child of children) flowSmallMaps(child);
    const leafy = children.every((child) => isScalar(child) || ((isMap(child) || isSeq(child)) && child.flow));
    if (leafy && children.length > 0 && JSON.stringify(node.toJSON()).length <= FLOW_WIDTH && !hasMultilineScalar(node)) node.flow = true;
  }
}

function hasMultilineScalar(node: Node): boolean {
  return JSON.stringify(node.toJSON()).includes('\\n');
}
