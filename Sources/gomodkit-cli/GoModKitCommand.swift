import ArgumentParser
import GoModPlatform

/// The `gomodkit` command: a thin shell over the GoModKit library.
///
/// Exit codes everywhere: ``ExitStatus`` (0 clean, 1 finding, 2 usage or unreadable input,
/// 3 could not verify).
struct GoModKitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gomodkit",
        abstract: "Check Go modules the way the go command does, and catch what it misses.",
        discussion: ExitStatus.discussion("""
            Every command ends with the same exit status, below.
            """),
        subcommands: [
            Hash.self, VerifyZip.self, GoSumCommand.self,
            ModCommand.self, WorkCommand.self,
            ZipCommand.self, SumCommand.self,
            SumDBCommand.self, DownloadCommand.self, VerifyCommand.self, AuditCommand.self,
            Diverge.self, Typosquat.self, VulnCommand.self, CapsCommand.self, OriginCommand.self, ScanCommand.self,
        ]
    )
}

@main
enum Main {
    static func main() async {
        if let status = Hash.fastPath(CommandLine.arguments) { exit(status) }
        do {
            var command = try GoModKitCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            if !failure.message.isEmpty { Terminal.error(failure.message) }
            exit(failure.code)
        } catch {
            let code = GoModKitCommand.exitCode(for: error)
            let message = GoModKitCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if !message.isEmpty { Terminal.error(message) }
            // ArgumentParser uses 64 for usage errors; like go, GoModKit uses 2.
            exit(CLIFailure.usage)
        }
    }
}
