/**
 * `Molecule`: W&B's `wandb.Molecule` (reference §8.6). From a file of a supported type (copied
 * at log()), or from the file's text or bytes with `fileType`. History JSON:
 * `{"_type":"molecule-file","sha256","size","path":"media/molecule/<key>_<step>_<sha20>.<ext>","caption"?}`;
 * a list is `{"_type":"molecule","filenames":[…],"count","captions":[…]|false}`.
 */
import { existsSync } from "node:fs";
import { InvalidDataError } from "@stepwise/protocol";
import { checkTypedMediaFile, stageCopy } from "./media-file.js";
import { checkCaption, listCaptions } from "./media-options.js";
import {
  fileFields,
  filePath,
  TO_LOGGED,
  TO_LOGGED_LIST,
  type Loggable,
  type LogContext,
  type LoggedFile,
  type LoggedValue,
} from "./logged-value.js";

export const MOLECULE_FILE_TYPES = [
  "pdb",
  "pqr",
  "mmcif",
  "mcif",
  "cif",
  "sdf",
  "sd",
  "gro",
  "mol2",
  "mmtf",
] as const;
export type MoleculeFileType = (typeof MOLECULE_FILE_TYPES)[number];

export interface MoleculeOptions {
  caption?: string;
  /** Needed when the source is the file's content rather than its path. */
  fileType?: MoleculeFileType;
}

export class Molecule implements Loggable {
  constructor(
    readonly source: string | Uint8Array,
    readonly options: MoleculeOptions = {},
  ) {
    checkCaption(options.caption, "Molecule");
    if (options.fileType !== undefined && !MOLECULE_FILE_TYPES.includes(options.fileType))
      throw new InvalidDataError(
        `Molecule: fileType must be one of ${MOLECULE_FILE_TYPES.join(", ")}, got ${JSON.stringify(options.fileType)}`,
      );
  }

  [TO_LOGGED](ctx: LogContext): LoggedValue {
    const caption = this.options.caption;
    return {
      json: fileFields(0, { _type: "molecule-file", ...(caption === undefined ? {} : { caption }) }),
      files: [this.prepare(`${ctx.context}: Molecule at ${ctx.key}`)],
    };
  }

  [TO_LOGGED_LIST](items: readonly Loggable[], ctx: LogContext): LoggedValue {
    const molecules = items as Molecule[];
    return {
      json: {
        _type: "molecule",
        filenames: molecules.map((_, i) => filePath(i)),
        count: molecules.length,
        captions: listCaptions(molecules.map((m) => m.options.caption)) ?? false,
      },
      files: molecules.map((m, i) => m.prepare(`${ctx.context}: molecule ${i} of the list at ${ctx.key}`)),
    };
  }

  private prepare(what: string): LoggedFile {
    const { source, options } = this;
    const isPath = typeof source === "string" && options.fileType === undefined;
    if (isPath || (typeof source === "string" && !source.includes("\n") && existsSync(source))) {
      const ext = checkTypedMediaFile(source, what, MOLECULE_FILE_TYPES, options.fileType);
      return {
        dir: "media/molecule",
        ext: `.${ext}`,
        content: { kind: "copy", local: stageCopy(source) },
      };
    }
    if (options.fileType === undefined)
      throw new InvalidDataError(
        `${what}: fileType is required for molecule content (one of ${MOLECULE_FILE_TYPES.join(", ")})`,
      );
    const bytes = typeof source === "string" ? Buffer.from(source, "utf8") : new Uint8Array(source);
    return { dir: "media/molecule", ext: `.${options.fileType}`, content: { kind: "bytes", bytes } };
  }
}
