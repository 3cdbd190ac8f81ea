import CLinux
import Glibc

/// Runs stage1 from read-only mounts of its executable and of every library it maps, in a mount
/// namespace of its own. Processes stage1 starts in a pod are forks of it until their exec, and
/// the pod's init stays one: through `/proc/PID/exe` and `/proc/PID/map_files` an app allowed to
/// look at them reaches those files, which are the host's (the executable in the store is shared
/// by every pod). On read-only mounts it cannot change them (content, mode, owner, file
/// capabilities). A static stage1 maps no library, and stage0 binds its executable already.
public enum ReadOnlyExecutable {
    /// Returns at once when every file this process maps is on a read-only mount; otherwise moves
    /// to a private mount namespace, binds each of them read-only onto itself and executes stage1
    /// again with the same arguments (never returns then).
    public static func ensure() throws {
        let files = try mappedFiles()
        let writable = files.filter { !isReadOnly($0.link) }.map(\.path)
        guard !writable.isEmpty else { return }
        if rkt_unshare(rkt_clone_newns) != 0 { throw SystemCallError("unshare the mount namespace", path: "") }
        try Mount.mount(nil, "/", type: nil, flags: rkt_ms_rec | rkt_ms_private)
        for path in Set(writable) {
            try Mount.mount(path, path, type: nil, flags: rkt_ms_bind)
            try Mount.mount(nil, path, type: nil, flags: rkt_ms_remount | rkt_ms_bind | rkt_ms_rdonly | rkt_ms_nosuid)
        }
        let executable = files[0].path
        let argv = CommandLine.arguments.map { strdup($0) } + [nil]
        execv(executable, argv)
        throw SystemCallError("execute again", path: executable)
    }

    /// The files this process maps (its executable first), each with a link that reaches the file
    /// through the mount it was mapped from (what /proc/PID/exe and map_files give an app). When
    /// /proc/self/maps names the executable alone (a static stage1), its mappings are that one
    /// file and the executable's link stands for them all.
    private static func mappedFiles() throws -> [(path: String, link: String)] {
        var files = [(path: try FileIO.link("/proc/self/exe"), link: "/proc/self/exe")]
        let maps = try FileIO.readFile("/proc/self/maps", limit: 4 << 20)
        let executable = Array(files[0].path.utf8)
        let others = maps.split(separator: 0x0A).contains { line in
            guard let slash = line.firstIndex(of: 0x2F) else { return false }  // a file-backed mapping's path
            return !line[slash...].elementsEqual(executable)
        }
        guard others else { return files }
        guard let directory = opendir("/proc/self/map_files") else {
            throw SystemCallError("open", path: "/proc/self/map_files")
        }
        defer { closedir(directory) }
        var seen: Set<String> = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix("."), let path = try? FileIO.link("/proc/self/map_files/\(name)"),
                  path.hasPrefix("/"), seen.insert(path).inserted else { continue }
            files.append((path, "/proc/self/map_files/\(name)"))
        }
        return files
    }

    private static func isReadOnly(_ link: String) -> Bool {
        var info = statvfs()
        return statvfs(link, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
    }
}
