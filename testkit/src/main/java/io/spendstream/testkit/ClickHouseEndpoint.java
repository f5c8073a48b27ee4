package io.spendstream.testkit;

/**
 * A running ClickHouse HTTP endpoint, as handed to a test: the admin user and the read-only on-call user.
 */
public record ClickHouseEndpoint(String url, String user, String password, String readOnlyUser, String readOnlyPassword) {
  @Override
  public String toString() {
    return "ClickHouseEndpoint[url=" + url + ", user=" + user + ", readOnlyUser=" + readOnlyUser + ", passwords=***]";
  }
}
