/** Nightly chargeback reconciliation (issue 8; not built yet). */
package io.spendstream.chargeback;
