package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;

/** The caller is authenticated but may not do this. */
public class AccessDeniedException extends ProblemException {

    public AccessDeniedException(String message) {
        super(403, "forbidden", "Forbidden", message, null);
    }
}
