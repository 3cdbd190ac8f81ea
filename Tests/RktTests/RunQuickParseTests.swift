import Testing
@testable import rkt

/// `rkt run`'s command line read without ArgumentParser must read as ArgumentParser reads it.
@Suite struct RunQuickParseTests {
    static let agreeing: [[String]] = [
        [],
        ["img"],
        ["--dir=/d", "img"],
        ["--dir", "/d", "img", "--exec", "/bin/sh", "--", "-c", "exit 3", "---"],
        ["--debug", "--insecure-options=image", "--net=host", "img"],
        ["--dir", "/a", "--dir=/b", "img"],
        ["--dir=a=b", "img"],
        ["--trust-keys-from-https", "--local-config", "/l", "--system-config=/s", "--user-config", "/u", "img"],
        ["--", "img"],
        ["-x", "img"],
        ["img", "--debug", "--dir=/d"],
        ["--net=host", "--dir=/d", "img"],
        ["--stage1-name=fly", "img", "--name=a", "img2", "--", "x", "---"],
        ["a.aci", "---", "b.aci", "--", "x", "---", "---", "c.aci"],
    ]

    @Test(arguments: agreeing)
    func readsAsArgumentParserDoes(_ line: [String]) throws {
        // As Rkt.main hands them over.
        let arguments = Rkt.withoutStrayEndMarkers(["run"] + line)
        let quick = try #require(Run.quickParse(arguments.dropFirst()))
        let parsed = try #require(try Rkt.parseAsRoot(arguments) as? Run)
        #expect(Self.summary(quick) == Self.summary(parsed))
    }

    @Test(arguments: [["--dir"], ["--dir", "--debug", "img"], ["--debug=yes", "img"], ["img", "--help"], ["-h"],
                      ["--generate-completion-script", "bash"], ["img", "--", "--help"], ["--dir=", "img"]])
    func leavesTheRestToArgumentParser(_ line: [String]) {
        #expect(Run.quickParse(line[...]) == nil)
    }

    @Test func knowsEveryGlobalOption() {
        let help = GlobalOptions.helpMessage()
        let named = Set(help.split(whereSeparator: { !$0.isLetter && $0 != "-" }).filter { $0.hasPrefix("--") }.map(String.init))
        #expect(named.subtracting(["--help"]) == GlobalOptions.valued.union(GlobalOptions.flags))
    }

    static func summary(_ run: Run) -> [String] { summary(globalsOf: run.global) + run.arguments }

    static func summary(globalsOf global: GlobalOptions) -> [String] {
        [global.dir ?? "<nil>", global.localConfig, global.systemConfig, global.userConfig ?? "<nil>",
         global.insecureOptions, "\(global.trustKeysFromHttps)", "\(global.debug)"]
    }
}
