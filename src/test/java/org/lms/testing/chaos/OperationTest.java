package org.lms.testing.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OperationTest {

  @Test
  void writesOneLineWithFieldsInAFixedOrder() {
    Operation op = Operation.write("c3", "k1", "v-7", 120, 450, Operation.Status.OK);

    assertThat(op.toJson())
        .isEqualTo(
            "{\"client\":\"c3\",\"op\":\"write\",\"key\":\"k1\",\"value\":\"v-7\","
                + "\"invokeNanos\":120,\"returnNanos\":450,\"status\":\"ok\"}");
  }

  @Test
  void aReadOfNoValueIsWrittenAsNull() {
    Operation op = Operation.read("c1", "k", null, -5, 9, Operation.Status.UNKNOWN);

    assertThat(op.toJson()).contains("\"op\":\"read\"", "\"value\":null", "\"status\":\"unknown\"");
    assertThat(Operation.fromJson(op.toJson())).isEqualTo(op);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "quote \" and backslash \\ and slash /",
        "line\nbreak\r\ttab",
        "control \u0001\u001f and separators \u2028\u2029",
        "unicode é ✓ \uD83D\uDE00",
        ""
      })
  void anyValueSurvivesTheRoundTripOnOneLine(String value) {
    Operation op =
        Operation.write(
            "client \"x\"", "key\\" + value, value, 0, Long.MAX_VALUE, Operation.Status.FAIL);

    String json = op.toJson();

    assertThat(json).doesNotContain("\n", "\r", "\u2028", "\u2029");
    assertThat(Operation.fromJson(json)).isEqualTo(op);
  }

  @Test
  void fieldOrderIsFreeAndUnknownFieldsAreIgnored() {
    Operation op =
        Operation.fromJson(
            " { \"status\" : \"fail\", \"node\": \"n2\", \"extra\": {\"a\": [1, {\"b\": \"}\"}]},"
                + " \"returnNanos\": 20, \"invokeNanos\": 10, \"value\": \"v\\u00e9\","
                + " \"key\": \"k\", \"op\": \"write\", \"client\": \"c\", \"flag\": true } ");

    assertThat(op).isEqualTo(Operation.write("c", "k", "vé", 10, 20, Operation.Status.FAIL));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{\"client\":\"c\",\"op\":\"write\",\"key\":\"k\",\"value\":\"v\",\"invokeNanos\":1}",
        "{\"client\":\"c\",\"op\":\"delete\",\"key\":\"k\",\"value\":\"v\",\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"write\",\"key\":\"k\",\"value\":\"v\",\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"maybe\"}",
        "{\"client\":\"c\",\"op\":\"write\",\"key\":\"k\",\"value\":null,\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"read\",\"key\":\"k\",\"value\":null,\"invokeNanos\":3,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"read\",\"key\":\"k\",\"value\":null,\"invokeNanos\":1.5,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"read\",\"key\":\"k\",\"value\":7,\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"read\",\"key\":\"k\",\"value\":null,\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"ok\"} x",
        "{\"client\":\"c\",\"client\":\"d\",\"op\":\"read\",\"key\":\"k\",\"value\":null,\"invokeNanos\":1,\"returnNanos\":2,\"status\":\"ok\"}",
        "{\"client\":\"c\",\"op\":\"read\",\"key\":\"k\",\"value\":\"unterminated,\"invokeNanos\":1}",
        "{\"client\":\"c\" \"op\":\"read\"}"
      })
  void rejectsMalformedLines(String line) {
    assertThatThrownBy(() -> Operation.fromJson(line)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOperationCannotReturnBeforeItWasInvoked() {
    assertThatThrownBy(() -> Operation.read("c", "k", null, 10, 9, Operation.Status.OK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before it was invoked");
  }
}
