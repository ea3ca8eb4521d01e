/**
 * What the import did with each object of the input, and what it could not carry: the lines `dynenv init --from`
 * prints, and the notes it writes as comments into dynenv.yaml.
 */
import { describeManifest, type Manifest } from './manifests.ts';

/** What became of one object of the input. */
export interface ObjectOutcome {
  readonly object: string;
  /** Position of the object in the input. */
  readonly order: number;
  /** One line: where it went ("services[2] (StatefulSet)", "kept unchanged in gitops/overlays/<env>/extra/service-x.yaml", "left out: ..."). */
  readonly action: string;
}

/** Collects outcomes and notes while the import runs. */
export class ImportNotes {
  readonly outcomes: ObjectOutcome[] = [];
  /** Things the user should look at, each naming the object or service and the field. */
  readonly notes: string[] = [];

  /** @param input the objects of the input, in the order outcomes are listed */
  constructor(private readonly input: readonly Manifest[]) {}

  outcome(manifest: Manifest, action: string): void {
    this.outcomes.push({ object: describeManifest(manifest), order: this.input.indexOf(manifest), action });
  }

  /** The outcomes in the order of the input. */
  inInputOrder(): ObjectOutcome[] {
    return [...this.outcomes].sort((a, b) => a.order - b.order);
  }

  note(text: string): void {
    this.notes.push(text);
  }
}
