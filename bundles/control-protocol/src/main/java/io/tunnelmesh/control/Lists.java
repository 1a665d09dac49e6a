package io.tunnelmesh.control;

import java.util.List;

/** Null lists from JSON become empty; null elements are refused (a peer sending them is broken). */
final class Lists {
    private Lists() {
    }

    static <T> List<T> orEmpty(List<T> list, String field) {
        if (list == null) {
            return List.of();
        }
        for (T t : list) {
            if (t == null) {
                throw new IllegalArgumentException(field + " contains a null element");
            }
        }
        return List.copyOf(list);
    }
}
