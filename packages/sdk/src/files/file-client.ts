/**
 * The one client the SDK's parts use to move run files (the upload queue, `run.restore`, the
 * `Api` client, `stepwise files`): hash a source, upload it resumably, download with resume and
 * a sha256 check, and tell a retryable failure from a fatal one. See files.ts in the protocol
 * for the wire format.
 */
export {
  hashFileSource,
  type BytesFileSource,
  type FileSource,
  type LocalFileSource,
} from "./file-source.js";
export {
  uploadBlob,
  uploadRunFile,
  type FileToUpload,
  type UploadFileOptions,
  type UploadFileResult,
} from "./file-upload.js";
export { downloadRunFile, type DownloadFileOptions } from "./file-download.js";
export { FileChangedError, FileTransferUnavailableError, isRetryableFileError } from "./file-errors.js";
