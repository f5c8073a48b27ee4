package io.spendstream.stream.catalogue;

import io.spendstream.schemas.avro.Alert;

/**
 * One evaluation of one alert condition: whether it holds ({@code null}: cannot tell, e.g. no calls in the window,
 * so nothing changes), and the alert it would raise, complete but for id, status and detection time.
 *
 * @param condition what is checked, unique within the tenant x dimension value (e.g. {@code error_rate},
 *     {@code upgrade:claude-opus-4-7})
 */
public record Check(String condition, Boolean holds, Alert.Builder draft) {
  public static Check unknown(String condition) {
    return new Check(condition, null, null);
  }
}
