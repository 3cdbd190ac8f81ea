import Foundation

/// The gpg-agent processes of the machine.
package enum GnuPGAgents {
    /// `PID STAT ARGS` of each gpg-agent that is not a zombie.
    package static func running() -> [String] {
        guard let result = try? Tool.execute(Peer.ps, ["-o", "pid=,stat=,args=", "-C", "gpg-agent"]) else { return [] }
        return result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            return fields.count == 3 && !fields[1].hasPrefix("Z")
        }
    }

    /// Agents matching `filter` still running after `timeout` seconds.
    package static func left(timeout: TimeInterval = 3, where filter: (String) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let matching = running().filter(filter)
            if matching.isEmpty || Date() > deadline { return matching }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// Agents serving one of rkt-sign's private verification homes (`/tmp/rktgpg.*`) that are not in `before`.
    package static func newPrivateHomeAgents(since before: [String], timeout: TimeInterval = 3) -> [String] {
        let earlier = Set(before.map(pid))
        return left(timeout: timeout) { $0.contains("/tmp/rktgpg.") && !earlier.contains(pid($0)) }
    }

    private static func pid(_ line: String) -> String { String(line.split(separator: " ").first ?? "") }
}
