package dev.tokenbroker.service;

import dev.tokenbroker.problem.ProblemException;

/** A CI job's identity token that was exchanged before: each is used once, on whichever replica. */
public class ReplayedJobTokenException extends ProblemException {

    ReplayedJobTokenException() {
        super(401, "job-token-replayed", "This job token was already exchanged",
                "each job token is exchanged once: ask the CI system for a new one", null);
    }
}
