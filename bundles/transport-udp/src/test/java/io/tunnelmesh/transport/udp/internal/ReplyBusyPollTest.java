package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.SelectStrategy;
import org.junit.jupiter.api.Test;

/**
 * When the event loop polls instead of sleeping: only within the window after a lone request-like send, never
 * after an answer, never with the window off; a poll that finds events hands them to the loop at once.
 * Windows are long here (200 ms) so a slow CI machine cannot close one between two lines of a test.
 */
class ReplyBusyPollTest {
    private static final int WINDOW_MICROS = 200_000;
    private static final int NOTHING_READY = 0;

    @Test
    void sleepsWhenNoDatagramWasSent() throws Exception {
        ReplyBusyPoll poll = idle(new ReplyBusyPoll(WINDOW_MICROS));
        assertEquals(SelectStrategy.SELECT, poll.calculateStrategy(() -> NOTHING_READY, false));
    }

    @Test
    void pollsWithinTheWindowAfterALoneRequestAndSleepsOnceItPassed() throws Exception {
        ReplyBusyPoll poll = idle(new ReplyBusyPoll(WINDOW_MICROS));
        assertTrue(poll.expectReply(), "a send after a quiet spell opens a window");
        assertEquals(SelectStrategy.CONTINUE, poll.calculateStrategy(() -> NOTHING_READY, false),
                "nothing ready yet: go round the loop (tasks run) and poll again, without sleeping");
        assertEquals(3, poll.calculateStrategy(() -> 3, false), "the reply's events go to the loop at once");
        Thread.sleep(WINDOW_MICROS / 1000 + 50);
        assertEquals(SelectStrategy.SELECT, poll.calculateStrategy(() -> NOTHING_READY, false));
        assertEquals(SelectStrategy.SELECT, poll.calculateStrategy(() -> NOTHING_READY, false));
    }

    @Test
    void anAnswerToARecentDatagramOpensNoWindow() throws Exception {
        ReplyBusyPoll poll = idle(new ReplyBusyPoll(WINDOW_MICROS));
        poll.received();
        assertFalse(poll.expectReply(), "the node answered what it just received: no reply to wait for");
        assertEquals(SelectStrategy.SELECT, poll.calculateStrategy(() -> NOTHING_READY, false));
    }

    @Test
    void neverPollsWithTheWindowOff() throws Exception {
        ReplyBusyPoll poll = new ReplyBusyPoll(0);
        assertFalse(poll.expectReply());
        assertEquals(SelectStrategy.SELECT, poll.calculateStrategy(() -> NOTHING_READY, false));
    }

    @Test
    void pendingTasksAlwaysGetANonBlockingPoll() throws Exception {
        ReplyBusyPoll poll = new ReplyBusyPoll(WINDOW_MICROS);
        assertEquals(NOTHING_READY, poll.calculateStrategy(() -> NOTHING_READY, true));
        assertEquals(2, poll.calculateStrategy(() -> 2, true));
    }

    /** A fresh strategy counts its creation as the last receive; wait out one window so the binding is idle. */
    private static ReplyBusyPoll idle(ReplyBusyPoll poll) throws InterruptedException {
        Thread.sleep(WINDOW_MICROS / 1000 + 50);
        return poll;
    }
}
