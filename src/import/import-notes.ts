/**
 * What the import did with each object of the input, and what it could not carry: the lines `dynenv init --from`
 * prints, and the notes it writes as comments into dynenv.yaml.
 */
import { describeManifest, type Manifest } from './manifests.ts';

/** What became of one object of the input. */
export interface ObjectOutcome {
  readonly object: string;
  readonly file: string;
  readonly line: number;
  /** One line: where it went ("services[2] (StatefulSet)", "include: kubernetes/service-x.yaml", "left out: ..."). */
  readonly action: string;
}

/** Collects outcomes and notes while the import runs. */
export class ImportNotes {
  readonly outcomes: ObjectOutcome[] = [];
  /** Things the user should look at, each naming the object or service and the field. */
  readonly notes: string[] = [];

  outcome(manifest: Manifest, action: string): void {
    this.outcomes.push({ object: describeManifest(manifest), file: manifest.file, line: manifest.line, action });
  }

  /** The outcomes in the order of the input. */
  inInputOrder(): ObjectOutcome[] {
    return [...this.outcomes].sort((a, b) => (a.file === b.file ? a.line - b.line : 0));
  }

  note(text: string): void {
    this.notes.push(text);
  }
}
