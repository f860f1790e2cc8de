/**
 * The MSK name of an Apache Kafka version. MSK names 4.x releases by minor version with the
 * metadata mode, e.g. `4.1.x.kraft` (from 4.0 on, KRaft is the only mode), and patches the
 * brokers itself; 3.x releases since 3.7 are `3.7.x` (ZooKeeper) or `3.7.x.kraft`.
 *
 * @example
 * ```ts
 * mskKafkaVersion("4.1.2"); // "4.1.x.kraft"
 * ```
 */

export class UnsupportedKafkaVersionError extends Error {
  override readonly name = "UnsupportedKafkaVersionError";
}

export const mskKafkaVersion = (apacheKafkaVersion: string): string => {
  const match = /^(\d+)\.(\d+)\.\d+$/.exec(apacheKafkaVersion);
  const major = Number(match?.[1]);
  const minor = Number(match?.[2]);
  if (match === null || major < 4) {
    throw new UnsupportedKafkaVersionError(
      `Kafka ${apacheKafkaVersion}: expected a 4.x.y release (KRaft), as the local broker runs`,
    );
  }
  return `${major}.${minor}.x.kraft`;
};
