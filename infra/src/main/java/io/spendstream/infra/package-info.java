/**
 * Local real infrastructure for development and tests: the schema registry, Kafka broker and ClickHouse
 * endpoint run as their own processes on loopback, plus the JUnit test kit that hands them to tests.
 */
package io.spendstream.infra;
