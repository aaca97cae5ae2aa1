import ArgumentParser

@main
struct Dialtonectl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dialtonectl",
        abstract: "Control a running dialtoned through its control socket.",
        discussion: """
            Tables are for people; --json prints the daemon's answer for scripts.
            Exit codes: 0 success, 1 an error reported by the daemon, 3 call not found,
            64 bad usage, 69 daemon not running, 76 unreadable answer, 77 permission denied.
            Shell completions: dialtonectl --generate-completion-script bash|zsh|fish
            """,
        subcommands: [
            StatusCommand.self, CallsCommand.self, CallCommand.self, EndCommand.self,
            UsersCommand.self, KickCommand.self, NotifyCommand.self,
            HistoryCommand.self, StatsCommand.self, SaveCommand.self,
            WatchCommand.self, LogLevelCommand.self, ReloadCommand.self, RawCommand.self,
        ]
    )
}
