package org.lms.interfaces.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lms.domain.state.RejectedException;

class PagesTest {
  private static final List<Integer> ITEMS = IntStream.range(0, 7).boxed().toList();

  @Test
  void tokensWalkThroughEveryItemOnce() {
    var seen = new ArrayList<Integer>();
    String token = "";
    int pages = 0;
    do {
      var page = Pages.of(ITEMS, 3, token, "List", "parent");
      seen.addAll(page.items());
      token = page.nextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertThat(seen).isEqualTo(ITEMS);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void sizesDefaultAndAreCapped() {
    var many = IntStream.range(0, 1200).boxed().toList();

    assertThat(Pages.of(many, 0, "", "L").items()).hasSize(Pages.DEFAULT_SIZE);
    assertThat(Pages.of(many, 100_000, "", "L").items()).hasSize(Pages.MAX_SIZE);
    assertThat(Pages.of(List.of(), 10, "", "L").nextPageToken()).isEmpty();
  }

  @Test
  void aTokenOfAnotherListOrAForgedOneIsRefused() {
    String token = Pages.of(ITEMS, 2, "", "List", "parent").nextPageToken();

    assertThat(Pages.of(ITEMS, 2, token, "List", "parent").items()).containsExactly(2, 3);
    for (String bad : List.of("%%%", "cDE6LTE6eA", token + "x")) {
      assertThatThrownBy(() -> Pages.of(ITEMS, 2, bad, "List", "parent"))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("page_token");
    }
    assertThatThrownBy(() -> Pages.of(ITEMS, 2, token, "List", "other"))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("page_token");
    assertThatThrownBy(() -> Pages.of(ITEMS, -1, "", "List"))
        .isInstanceOf(RejectedException.class)
        .hasMessageContaining("page_size");
  }

  @Test
  void aTokenPastAShrunkenListGivesAnEmptyLastPage() {
    String token = Pages.of(ITEMS, 6, "", "L").nextPageToken();

    var page = Pages.of(ITEMS.subList(0, 3), 6, token, "L");

    assertThat(page.items()).isEmpty();
    assertThat(page.nextPageToken()).isEmpty();
  }
}
