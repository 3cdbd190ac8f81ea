/// A hot command's command line (run, fetch) read without ArgumentParser, which finds a command's
/// options by reflection, ~3 ms at each start. Only forms ArgumentParser reads the same way are
/// taken — `--name=value`, `--name value` (a value not starting with `-`), a flag without a
/// value; anything else (help and completion requests, `--`, an unknown option, a missing or
/// empty value) throws `Unreadable`, and ArgumentParser then parses and reports.
/// Tests hold both readings equal.
struct QuickArguments {
    struct Unreadable: Error {}

    /// What is left to read.
    private(set) var rest: ArraySlice<String>

    private static let builtin: Set<String> = ["-h", "--help", "-help", "--experimental-dump-help", "--generate-completion-script"]

    init(_ arguments: ArraySlice<String>) throws {
        guard !arguments.contains(where: { Self.builtin.contains(String($0.prefix { $0 != "=" })) }) else { throw Unreadable() }
        rest = arguments
    }

    /// Takes the option at the head when it is one of `valued` (returned with its value) or of
    /// `flags` (value nil); nil, taking nothing, when the head is anything else.
    mutating func option(valued: Set<String>, flags: Set<String>) throws -> (name: String, value: String?)? {
        guard let first = rest.first, first.hasPrefix("--") else { return nil }
        let name = String(first.prefix { $0 != "=" })
        let inline = name.count < first.count ? String(first.dropFirst(name.count + 1)) : nil
        if flags.contains(name) {
            guard inline == nil else { throw Unreadable() }
            rest = rest.dropFirst()
            return (name, nil)
        }
        guard valued.contains(name) else { return nil }
        if let inline {
            guard !inline.isEmpty else { throw Unreadable() } // ArgumentParser reads `--dir= X` as `--dir X`
            rest = rest.dropFirst()
            return (name, inline)
        }
        guard let next = rest.dropFirst().first, !next.hasPrefix("-") else { throw Unreadable() }
        rest = rest.dropFirst(2)
        return (name, next)
    }

    /// Takes the global options at the head into `options`.
    mutating func globals(into options: inout GlobalOptions) throws {
        while let (name, value) = try option(valued: GlobalOptions.valued, flags: GlobalOptions.flags) { options.set(name, value) }
    }

    /// Takes the head.
    mutating func next() -> String? { rest.popFirst() }
}
