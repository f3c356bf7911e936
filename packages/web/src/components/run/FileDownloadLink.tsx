/**
 * A run file's download link: a plain link to `GET …/files/<path>` (each segment
 * percent-encoded), which the browser saves as it streams, whatever the size. A link sends no
 * API key, so when one is saved (a server off loopback) the click fetches the file with it and
 * saves the bytes from memory instead.
 */
import { useState, type MouseEvent, type ReactNode } from "react";
import type { RunRef } from "@stepwise/protocol";
import { fetchFile, fileUrl, hasSavedApiKey } from "../../api/client.js";

export interface FileDownloadLinkProps {
  runRef: RunRef;
  path: string;
  className?: string;
  /** -1 keeps a tree row's link out of the Tab order (the tree has its own keys). */
  tabIndex?: number;
  children: ReactNode;
}

export function FileDownloadLink({ runRef, path, className, tabIndex, children }: FileDownloadLinkProps) {
  const [failure, setFailure] = useState<string | null>(null);
  const name = path.split("/").pop() ?? path;
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    event.stopPropagation();
    if (!hasSavedApiKey()) return;
    event.preventDefault();
    setFailure(null);
    saveWithKey(runRef, path, name).catch((error: unknown) =>
      setFailure(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <>
      <a
        className={className}
        href={fileUrl(runRef, path)}
        download={name}
        data-testid="file-download"
        aria-label={`Download ${path}`}
        title={`Download ${path}`}
        {...(tabIndex === undefined ? {} : { tabIndex })}
        onClick={onClick}
      >
        {children}
      </a>
      {failure !== null && (
        <span className="inline-error" role="alert">
          {failure}
        </span>
      )}
    </>
  );
}

async function saveWithKey(ref: RunRef, path: string, name: string): Promise<void> {
  const response = await fetchFile(ref, path);
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  // The browser has taken the blob once the click's download started.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
