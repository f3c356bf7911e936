export * from "./errors.js";
export * from "./extended-json.js";
export * from "./run-records.js";
export * from "./ingest.js";
export * from "./api.js";
export * from "./dotted-path.js";
export * from "./csv-field.js";
export * from "./run-name.js";
