package dev.tokenbroker.service;

import java.util.List;

/** One page of a listing and where the next starts (null on the last). */
public record Page<T>(List<T> items, PagePosition next) {

    /** The first {@code limit} of {@code fetched} (which holds up to one more, to tell whether more follow). */
    static <S, T> Page<T> of(List<S> fetched, int limit, java.util.function.Function<List<S>, List<T>> shown,
            java.util.function.Function<S, PagePosition> position) {
        boolean more = fetched.size() > limit;
        List<S> page = more ? fetched.subList(0, limit) : fetched;
        return new Page<>(shown.apply(page), more ? position.apply(page.get(page.size() - 1)) : null);
    }
}
