/**
 * The Apache Kafka version of the whole system: the MSK cluster in CDK and the local broker
 * (whose jars `infra/local/kafka/pom.xml` pins; a unit test keeps the two equal).
 *
 * @example
 * ```ts
 * KAFKA_VERSION; // "4.1.2"
 * ```
 */
export const KAFKA_VERSION = "4.1.2";
