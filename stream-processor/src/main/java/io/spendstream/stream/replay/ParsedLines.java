package io.spendstream.stream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.FieldError;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.stream.kafka.InternalAvroSerde;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and parses the replay file on its own thread, in file order, ahead of the stages: JSON parsing and encoding
 * were a quarter of replay's time, and the stages run on one thread (as one partition does), so the second core
 * parses. Lines come in batches through a bounded queue; the order and the output are unchanged.
 */
final class ParsedLines implements AutoCloseable {
  /** One line: a call as the topic would hold it (key, Avro value, event time), or why it is not one. */
  record Line(long number, byte[] key, byte[] value, long timestamp, List<FieldError> errors) {
    boolean valid() {
      return errors == null;
    }
  }

  private static final int BATCH = 512;
  private static final List<Line> END = List.of();
  private final BlockingQueue<List<Line>> batches = new ArrayBlockingQueue<>(16);
  private final Thread reader;
  private volatile RuntimeException failure;
  private volatile long total;
  private List<Line> current = new ArrayList<>();
  private int next;
  private boolean ended;

  ParsedLines(BufferedReader in) {
    reader = Thread.ofPlatform().daemon().name("replay-parse").start(() -> read(in));
  }

  private void read(BufferedReader in) {
    InternalAvroSerde<LlmCall> serde = new InternalAvroSerde<>(LlmCall.class);
    ParseOptions parse = ParseOptions.offline();
    List<Line> batch = new ArrayList<>(BATCH);
    try {
      String text;
      long number = 0;
      while ((text = in.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        ParseResult r;
        try {
          JsonNode node = Json.MAPPER.readTree(text);
          r = LlmCallJson.parse(node, parse);
        } catch (IOException e) {
          r = new ParseResult.Invalid(List.of(new FieldError("$", "not valid JSON: "
              + e.getMessage().lines().findFirst().orElse(""))));
        }
        batch.add(switch (r) {
          case ParseResult.Valid v -> new Line(number, CallKeys.bytes(v.call()), serde.encode(v.call()),
              v.call().getTimestamp().toEpochMilli(), null);
          case ParseResult.Invalid i -> new Line(number, null, null, 0, i.errors());
        });
        if (batch.size() == BATCH) {
          batches.put(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      if (!batch.isEmpty()) {
        batches.put(batch);
      }
      total = number;
    } catch (IOException e) {
      failure = new UncheckedIOException(e);
    } catch (RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      return; // closed early
    }
    try {
      batches.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next line, or null at the end of the file (a read failure is thrown). */
  Line next() {
    while (next == current.size()) {
      if (ended) {
        return null;
      }
      try {
        current = batches.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the replay file", e);
      }
      next = 0;
      if (current == END) {
        ended = true;
        if (failure != null) {
          throw failure;
        }
        return null;
      }
    }
    return current.get(next++);
  }

  /** Lines in the file, blank ones included; known once {@link #next} returned null. */
  long total() {
    return total;
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
