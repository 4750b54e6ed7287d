import DriftStats

/// The lifecycle of one alert (one fingerprint): pending → firing → resolved.
package enum AlertState: String, Sendable, Equatable {
    case pending
    case firing
    case resolved
}

/// What an open alert remembers between windows.
package struct OpenAlertState: Sendable, Equatable {
    package var state: AlertState
    /// Consecutive breaking windows.
    package var breaches: Int
    /// Consecutive clear windows while firing.
    package var clearWindows: Int
    /// When the last notification went out (µs), nil if never.
    package var lastNotifiedAt: Int64?

    package init(state: AlertState, breaches: Int, clearWindows: Int, lastNotifiedAt: Int64?) {
        self.state = state
        self.breaches = breaches
        self.clearWindows = clearWindows
        self.lastNotifiedAt = lastNotifiedAt
    }
}

/// The notification a transition sends.
package enum AlertEvent: String, Sendable, Equatable {
    case firing
    case resolved
    case reminder
}

/// One window's step of an alert's lifecycle (pure):
/// - a breach opens a pending alert, which fires after `for` consecutive breaching windows (at once when
///   `for` is 1) — one firing alert per fingerprint however many windows break;
/// - a clear window resolves a pending alert silently; a firing alert resolves (and notifies) after more
///   than `keep_firing_for` consecutive clear windows;
/// - a firing alert still breaking sends a reminder when `repeat_interval` has passed since its last
///   notification;
/// - a window where the rule could not be judged changes nothing.
///
/// Stored counters and times are taken as they are: counts and time differences saturate, never trap.
package enum AlertTransition {
    package static func next(
        _ current: OpenAlertState?, breached: Bool?, rule: AlertRule, now: Int64, repeatIntervalSeconds: Int?
    ) -> (state: OpenAlertState?, event: AlertEvent?) {
        guard let breached else { return (current, nil) }
        guard var s = current else {
            guard breached else { return (nil, nil) }
            let fires = rule.forWindows <= 1
            return (
                OpenAlertState(
                    state: fires ? .firing : .pending, breaches: 1, clearWindows: 0, lastNotifiedAt: fires ? now : nil),
                fires ? .firing : nil
            )
        }
        switch (s.state, breached) {
        case (.pending, true):
            s.breaches = s.breaches.addingSaturating(1)
            if s.breaches >= rule.forWindows {
                s.state = .firing
                s.lastNotifiedAt = now
                return (s, .firing)
            }
            return (s, nil)
        case (.pending, false):
            s.state = .resolved
            return (s, nil)
        case (.firing, true):
            s.breaches = s.breaches.addingSaturating(1)
            s.clearWindows = 0
            if let repeatSeconds = repeatIntervalSeconds, let last = s.lastNotifiedAt,
                now.subtractingSaturating(last) >= Int64(repeatSeconds).multipliedSaturating(by: 1_000_000)
            {
                s.lastNotifiedAt = now
                return (s, .reminder)
            }
            return (s, nil)
        case (.firing, false):
            s.clearWindows = s.clearWindows.addingSaturating(1)
            if s.clearWindows > rule.keepFiringFor {
                s.state = .resolved
                s.lastNotifiedAt = now
                return (s, .resolved)
            }
            return (s, nil)
        case (.resolved, _):
            return (current, nil)
        }
    }
}
