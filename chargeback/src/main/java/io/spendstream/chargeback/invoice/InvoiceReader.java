package io.spendstream.chargeback.invoice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the provider's bill in one of two shapes (chosen by content: JSON starts with '{' or '['):
 * <ul>
 *   <li>CSV with header {@code date,model,token_type,cost_usd}: cost in USD as a decimal, date {@code YYYY-MM-DD};
 *   <li>the JSON of Anthropic's Admin API cost report ({@code GET /v1/organizations/cost_report}, daily buckets,
 *       grouped by description so lines carry {@code model} and {@code token_type}): {@code {"data":[{"starting_at",
 *       "ending_at","results":[{"amount","currency","model","token_type","cost_type",...}]}],"has_more",...}}, or an
 *       array of such pages. {@code amount} is in cents as a decimal string ("123.45" is $1.2345).
 * </ul>
 * Amounts become nano-USD exactly when they can; finer amounts are rounded half-even to the nano.
 */
public final class InvoiceReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal NANOS_PER_CENT = BigDecimal.valueOf(10_000_000L);

  private InvoiceReader() {}

  public static List<InvoiceLine> read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvoiceException(file + ": cannot read: " + e.getMessage());
    }
    String t = text.stripLeading();
    return t.startsWith("{") || t.startsWith("[") ? costReport(t, file.toString()) : csv(text, file.toString());
  }

  static List<InvoiceLine> csv(String text, String source) {
    CsvMapper mapper = new CsvMapper();
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<InvoiceLine> out = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it = mapper.readerFor(Map.class).with(schema).readValues(text)) {
      int line = 1;
      while (it.hasNext()) {
        Map<String, String> row = it.next();
        line++;
        if (line == 2 && !row.keySet().containsAll(Set.of("date", "model", "token_type", "cost_usd"))) {
          throw new InvoiceException(source + ": the header must be date,model,token_type,cost_usd (got " + row.keySet() + ")");
        }
        LocalDate day;
        try {
          day = LocalDate.parse(row.get("date").trim());
        } catch (DateTimeParseException | NullPointerException e) {
          throw new InvoiceException(source + ": line " + line + ": date: '" + row.get("date") + "' is not YYYY-MM-DD");
        }
        BigDecimal usd;
        try {
          usd = new BigDecimal(row.get("cost_usd").trim());
        } catch (NumberFormatException | NullPointerException e) {
          throw new InvoiceException(source + ": line " + line + ": cost_usd: '" + row.get("cost_usd") + "' is not a decimal number");
        }
        out.add(new InvoiceLine(day, BillingModel.of(row.get("model")), nullToEmpty(row.get("token_type")), nanos(usd, NANOS_PER_USD)));
      }
    } catch (IOException e) {
      throw new InvoiceException(source + ": not valid CSV: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return out;
  }

  static List<InvoiceLine> costReport(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new InvoiceException(source + ": not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<InvoiceLine> out = new ArrayList<>();
    for (JsonNode page : root.isArray() ? root : List.of(root)) {
      if (!page.path("data").isArray()) {
        throw new InvoiceException(source + ": a cost report has a 'data' array of daily buckets");
      }
      int b = 0;
      for (JsonNode bucket : page.get("data")) {
        String where = source + ": data[" + b++ + "]";
        LocalDate day = day(bucket, where);
        int r = 0;
        for (JsonNode item : bucket.path("results")) {
          String at = where + ".results[" + r++ + "]";
          String currency = item.path("currency").asText("USD");
          if (!"USD".equals(currency)) {
            throw new InvoiceException(at + ": currency " + currency + " (only USD is supported)");
          }
          BigDecimal cents;
          try {
            cents = new BigDecimal(item.path("amount").asText());
          } catch (NumberFormatException e) {
            throw new InvoiceException(at + ": amount: '" + item.path("amount").asText() + "' is not a decimal string");
          }
          String model = item.path("model").isTextual() ? item.get("model").asText() : null;
          String type = item.path("token_type").isTextual() ? item.get("token_type").asText()
              : item.path("cost_type").asText("");
          out.add(new InvoiceLine(day, BillingModel.of(model), type, nanos(cents, NANOS_PER_CENT)));
        }
      }
    }
    return out;
  }

  private static LocalDate day(JsonNode bucket, String where) {
    try {
      OffsetDateTime start = OffsetDateTime.parse(bucket.path("starting_at").asText());
      OffsetDateTime end = OffsetDateTime.parse(bucket.path("ending_at").asText());
      if (!start.plusDays(1).isEqual(end)) {
        throw new InvoiceException(where + ": buckets must be one day (bucket_width=1d), got " + start + " .. " + end);
      }
      return start.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    } catch (DateTimeParseException e) {
      throw new InvoiceException(where + ": starting_at/ending_at must be RFC 3339 timestamps");
    }
  }

  private static long nanos(BigDecimal amount, BigDecimal nanosPerUnit) {
    return amount.multiply(nanosPerUnit).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s.trim();
  }
}
