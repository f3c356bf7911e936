/**
 * A version's aliases as chips: × removes one, Enter in the input adds it (taking it from
 * whichever version of the collection held it). Each change PUTs the version's whole list of
 * user aliases; `latest` is the server's own (it always names the newest version), shown without
 * a ×. A refused change shows the server's reason and gives the typed text back.
 */
import { LATEST_ALIAS } from "@stepwise/protocol";
import { ChipListEditor, type ChipAdd } from "../ChipListEditor.js";

export interface AliasEditorProps {
  aliases: readonly string[];
  /** Sets the user aliases; resolves to the server's refusal, or null once saved. */
  save: (aliases: string[]) => Promise<string | null>;
}

export function AliasEditor({ aliases, save }: AliasEditorProps) {
  const userAliases = aliases.filter((alias) => alias !== LATEST_ALIAS);
  const add = (typed: string): ChipAdd => {
    const alias = typed.trim();
    if (alias === "") return null;
    if (aliases.includes(alias))
      return { ok: false, error: `'${alias}' is already an alias of this version` };
    return { ok: true, chips: [...userAliases, alias], giveBack: alias };
  };
  return (
    <ChipListEditor
      chips={aliases}
      noun="alias"
      inputLabel="Add an alias (Enter)"
      add={add}
      remove={(alias) => userAliases.filter((a) => a !== alias)}
      removable={(alias) => alias !== LATEST_ALIAS}
      save={save}
      lockWhileSaving
    />
  );
}
