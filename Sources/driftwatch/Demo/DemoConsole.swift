#if canImport(Glibc)
    import Glibc
#endif

/// The demo's terminal: permanent lines (notifications, milestones) and one status line that is redrawn in
/// place when standard output is a terminal, or printed as a line of its own every few seconds otherwise.
actor DemoConsole {
    let interactive: Bool
    var status = ""
    var lastPermanentStatus: ContinuousClock.Instant?
    /// Without a terminal, a status line is printed at most this often.
    static let plainStatusInterval: Duration = .seconds(5)

    init() { interactive = isatty(1) != 0 }

    /// A line that stays (above the status line on a terminal).
    func line(_ text: String) {
        if interactive && !status.isEmpty {
            FileHandleOutput.standardOutput("\r\u{1B}[2K" + text + "\n" + status)
        } else {
            FileHandleOutput.standardOutput(text + "\n")
        }
    }

    /// Replaces the status line (cut to the terminal's width so that it never wraps).
    func status(_ text: String) {
        if interactive {
            status = String(text.prefix(max(20, Self.columns() - 1)))
            FileHandleOutput.standardOutput("\r\u{1B}[2K" + status)
            return
        }
        let now = ContinuousClock.now
        if let last = lastPermanentStatus, now - last < Self.plainStatusInterval { return }
        lastPermanentStatus = now
        FileHandleOutput.standardOutput(text + "\n")
    }

    /// Ends the status line: it stays as the last line printed.
    func finishStatus(_ text: String) {
        if interactive {
            FileHandleOutput.standardOutput("\r\u{1B}[2K" + text + "\n")
        } else {
            FileHandleOutput.standardOutput(text + "\n")
        }
        status = ""
    }

    /// The terminal's width (80 when unknown).
    static func columns() -> Int {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
