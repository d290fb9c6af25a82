package dev.tokenbroker.lifecycle;

import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.AuditDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The whole token lifecycle, model-based: jqwik action chains of mints (with and without
 * Idempotency-Key), replays, claims, owner changes (valid or not), listings, revocations,
 * rotations (at once or with a grace, alone or in concurrent bursts), concurrent mints,
 * group changes and revocations made in Gafaelfawr, by random callers: owners, others,
 * a group member, an admin, a bot, a token delegated to another application and one
 * presented through the ingress for another application. After every step
 * {@link World#checkInvariants} holds; the audit chain verifies after every sequence.
 * {@code -Dmodel.steps=N} and {@code -Dmodel.seed=S} widen or repeat a run.
 */
@QuarkusTest
@TestProfile(LifecycleModelTest.RealQuotas.class)
class LifecycleModelTest {

    public static class RealQuotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.quota.active-tokens-per-bot", Integer.toString(World.QUOTA),
                    "broker.quota.issuances-per-caller-per-hour", "1000000",
                    "broker.policy.max-rotation-grace", "PT3S");
        }
    }

    static final int STEPS_PER_SEQUENCE = 50;

    @Inject
    EmulatorState emulator;

    @Inject
    AuditDatabase audit;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "emulator.admin-username")
    String brokerIdentity;

    @Inject
    dev.tokenbroker.emulator.DemoIssuer issuer;

    @Test
    void randomLifecyclesKeepEveryInvariant() {
        int steps = Integer.getInteger("model.steps", 2_000);
        long seed = Long.getLong("model.seed", new Random().nextLong());
        Random random = new Random(seed);
        Broker broker = new Broker(port);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long start = System.nanoTime();
        int done = 0;
        int sequences = 0;
        Map<String, Map<Integer, Integer>> seen = new java.util.TreeMap<>();
        JqwikSession.start();
        try {
            while (done < steps) {
                World world = new World(broker, emulator, audit, pool, brokerIdentity, sequences++, seen);
                world.issuer = issuer;
                ActionChain<World> chain = chains(world).generator(1000).next(random).value();
                try {
                    chain.withInvariant("model", World::checkInvariants).run();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("seed " + seed + " (-Dmodel.seed=" + seed + "), sequence " + sequences
                            + ", after steps " + chain.transformations(), e);
                }
                world.checkAuditChain();
                done += world.steps;
            }
        } finally {
            JqwikSession.finish();
            pool.shutdownNow();
        }
        System.out.printf("model-based lifecycle: %d steps in %d sequences, %.1f s, seed %d; answers by action: %s%n",
                done, sequences, (System.nanoTime() - start) / 1e9, seed, seen);
    }

    static ActionChainArbitrary<World> chains(World world) {
        return ActionChain.<World>startWith(() -> world)
                .withAction(4, dependent(w -> combine(actor(w), bot(w), Arbitraries.of("", "", "key"),
                        (a, b, k) -> step("mint " + b + " by " + a, x -> x.mint(x.actors.get(a), b,
                                k.isEmpty() ? null : "k-" + Long.toString(System.nanoTime(), 36))))))
                .withAction(1, new Action.Dependent<World>() {
                    @Override
                    public boolean precondition(World w) {
                        return !w.mintKeys.isEmpty();
                    }

                    @Override
                    public Arbitrary<Transformer<World>> transformer(World w) {
                        return Arbitraries.of(new ArrayList<>(w.mintKeys.keySet()))
                                .map(k -> step("replay mint " + k, x -> x.replayMint(k)));
                    }
                })
                .withAction(2, dependent(w -> combine(actor(w), bot(w), owners(),
                        (a, b, o) -> step("owners of " + b + " by " + a + ": " + o,
                                x -> x.setOwners(x.actors.get(a), b, o.users, o.groups, o.extra)))))
                .withAction(2, dependent(w -> actor(w).flatMap(a -> bot(w)
                        .map(b -> step("list " + b + " by " + a, x -> x.list(x.actors.get(a), b))))))
                .withAction(2, withTokens(w -> actor(w).flatMap(a -> token(w)
                        .map(k -> step("revoke " + k + " by " + a, x -> x.revoke(x.actors.get(a), k))))))
                .withAction(3, withTokens(w -> combine(actor(w), token(w),
                        Arbitraries.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                        (a, k, g) -> step("rotate " + k + " by " + a + " grace " + g,
                                x -> rethrow(() -> x.rotate(x.actors.get(a), k, g, 1))))))
                .withAction(1, withTokens(w -> actor(w).flatMap(a -> token(w)
                        .map(k -> step("4 concurrent rotations of " + k + " by " + a,
                                x -> rethrow(() -> x.rotate(x.actors.get(a), k, Duration.ofSeconds(1), 4)))))))
                .withAction(1, dependent(w -> actor(w).flatMap(a -> bot(w)
                        .map(b -> step("3 concurrent mints of " + b + " by " + a,
                                x -> rethrow(() -> x.mintBurst(x.actors.get(a), b, 3)))))))
                .withAction(1, dependent(w -> Arbitraries.of(true, false)
                        .map(join -> step((join ? "carol joins " : "carol leaves ") + World.GROUP,
                                x -> x.changeGroup(join)))))
                .withAction(1, withTokens(w -> token(w)
                        .map(k -> step("revoke " + k + " in Gafaelfawr", x -> x.revokeInGafaelfawr(k)))))
                .withAction(3, dependent(w -> combine(actor(w), bot(w), Arbitraries.of("ci", "release"),
                        Arbitraries.of(World.SUBJECTS.subList(0, 2)),
                        (a, b, n, j) -> step("trust policy " + n + " of " + b + " by " + a + " for " + j,
                                x -> x.putTrustPolicy(x.actors.get(a), b, n, j)))))
                .withAction(1, dependent(w -> combine(actor(w), bot(w), Arbitraries.of("ci", "release"),
                        (a, b, n) -> step("delete trust policy " + n + " of " + b + " by " + a,
                                x -> x.deleteTrustPolicy(x.actors.get(a), b, n)))))
                .withAction(3, dependent(w -> combine(bot(w), Arbitraries.of(World.SUBJECTS),
                        (b, j) -> step("exchange for " + b + " as " + j, x -> x.exchange(b, j)))))
                .withMaxTransformations(STEPS_PER_SEQUENCE);
    }

    /** An owner set to send: mostly valid, sometimes with a bot as owner, an unknown field, or empty. */
    record OwnerSet(List<String> users, List<String> groups, String extra) {
        @Override
        public String toString() {
            return users + " " + groups + (extra == null ? "" : " +" + extra);
        }
    }

    static Arbitrary<OwnerSet> owners() {
        Arbitrary<List<String>> users = Arbitraries.of("alice", "bob", "carol", "dave").list().ofMaxSize(3);
        Arbitrary<List<String>> groups = Arbitraries.of(World.GROUP, "g_other").list().ofMaxSize(1);
        Arbitrary<String> extra = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just((String) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("group", "uid", "owners")));
        Arbitrary<OwnerSet> plain = net.jqwik.api.Combinators.combine(users, groups, extra).as(OwnerSet::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, plain),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(new OwnerSet(List.of("alice", "bot-model-x"), List.of(), null))));
    }

    static Arbitrary<String> actor(World w) {
        return Arbitraries.of(new ArrayList<>(w.actors.keySet()));
    }

    static Arbitrary<String> bot(World w) {
        return Arbitraries.of(w.bots);
    }

    static Arbitrary<String> token(World w) {
        return Arbitraries.of(new ArrayList<>(w.minted.keySet()));
    }

    interface Body {
        void run() throws Exception;
    }

    static void rethrow(Body body) {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Transformer<World> step(String description, java.util.function.Consumer<World> action) {
        return Transformer.mutate(description, action);
    }

    static <A, B, C> Arbitrary<Transformer<World>> combine(Arbitrary<A> a, Arbitrary<B> b, Arbitrary<C> c,
            net.jqwik.api.Combinators.F3<A, B, C, Transformer<World>> as) {
        return net.jqwik.api.Combinators.combine(a, b, c).as(as);
    }

    static <A, B, C, D> Arbitrary<Transformer<World>> combine(Arbitrary<A> a, Arbitrary<B> b, Arbitrary<C> c,
            Arbitrary<D> d, net.jqwik.api.Combinators.F4<A, B, C, D, Transformer<World>> as) {
        return net.jqwik.api.Combinators.combine(a, b, c, d).as(as);
    }

    static <A, B> Arbitrary<Transformer<World>> combine(Arbitrary<A> a, Arbitrary<B> b,
            net.jqwik.api.Combinators.F2<A, B, Transformer<World>> as) {
        return net.jqwik.api.Combinators.combine(a, b).as(as);
    }

    static Action.Dependent<World> dependent(java.util.function.Function<World, Arbitrary<Transformer<World>>> of) {
        return of::apply;
    }

    /** An action on one of the tokens minted so far. */
    static Action.Dependent<World> withTokens(java.util.function.Function<World, Arbitrary<Transformer<World>>> of) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World w) {
                return !w.minted.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World w) {
                return of.apply(w);
            }
        };
    }
}
