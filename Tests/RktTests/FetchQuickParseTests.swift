import Testing
@testable import rkt

/// `rkt fetch`'s command line read without ArgumentParser must read as ArgumentParser reads it.
@Suite struct FetchQuickParseTests {
    static let agreeing: [[String]] = [
        ["img"],
        ["a.aci", "b.aci"],
        ["--dir=/d", "--insecure-options=image", "oci:/x:1"],
        ["--full", "a.aci", "--signature", "a.asc", "b.aci", "--signature=b.asc"],
        ["a.aci", "--pull-policy=new", "--debug", "b.aci", "--dir", "/d"],
        ["--pull-policy", "never", "--trust-keys-from-https", "docker://busybox"],
    ]

    @Test(arguments: agreeing)
    func readsAsArgumentParserDoes(_ line: [String]) throws {
        let quick = try #require(Fetch.quickParse(line[...]))
        let parsed = try #require(try Rkt.parseAsRoot(["fetch"] + line) as? Fetch)
        #expect(Self.summary(quick) == Self.summary(parsed))
    }

    @Test(arguments: [[], ["--pull-policy=sometimes", "a.aci"], ["--", "a.aci"], ["-x", "a.aci"], ["a.aci", "--full=yes"],
                      ["a.aci", "--signature"], ["a.aci", "--help"], ["--insecure-options=bogus", "a.aci"]])
    func leavesTheRestToArgumentParser(_ line: [String]) {
        #expect(Fetch.quickParse(line[...]) == nil)
    }

    static func summary(_ fetch: Fetch) -> [String] {
        RunQuickParseTests.summary(globalsOf: fetch.global) + ["\(fetch.full)", fetch.pullPolicy] + fetch.signature + ["|"] + fetch.images
    }
}
