import Glibc

/// Runs helper programs (gpgconf, gpgv, CNI plugins …) with posix_spawn and waits for them.
/// Standard input is `input` or /dev/null, standard error /dev/null; standard output is captured
/// (up to 1 MiB). The environment is this process's unless `environment` (`K=V`) is given.
public enum Subprocess {
    /// The program's exit status (-1 if it could not be started or was killed) and its output.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], input: Int32? = nil,
                           environment: [String]? = nil) -> (status: Int32, output: [UInt8]) {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { return (-1, []) }
        let readEnd = FileDescriptor(pipeFDs[0])
        let writeEnd = FileDescriptor(pipeFDs[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let input {
            posix_spawn_file_actions_adddup2(&actions, input, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, writeEnd.rawValue, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, readEnd.rawValue)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = (envp.map { posix_spawn(&pid, program, &actions, nil, argv, $0) } ?? posix_spawn(&pid, program, &actions, nil, argv, environ)) == 0
        writeEnd.close()
        guard spawned else { return (-1, []) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(readEnd.rawValue, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            if output.count < 1 << 20 { output.append(contentsOf: chunk[..<count]) }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return (-1, output) }
        }
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        return (status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, output)
    }
}
