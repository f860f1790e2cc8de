export * from "./checks-only";
export * from "./errors";
export * from "./event-contract";
export * from "./event-factory";
export * from "./money";
export * from "./read-event";
export * from "./text";
export * from "./uuid";
