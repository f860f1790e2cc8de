export * from "./build-dead-letter";
export * from "./constants";
export * from "./errors";
export * from "./publish-dead-letters";
export * from "./read-dead-letter";
export * from "./types";
