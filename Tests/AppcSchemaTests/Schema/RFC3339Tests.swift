import AppcSchema
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test("timestamps Go's time.Parse(time.RFC3339) accepts are valid", arguments: [
        "2006-01-02T15:04:05Z", "2006-01-02T15:04:05+07:00", "2006-01-02T15:04:05-07:30", "2006-01-02T15:04:05.1Z",
        "2006-01-02T15:04:05.123456789123Z", "2006-01-02T15:04:05,999+01:00", "2016-02-29T00:00:00Z", "2000-02-29T23:59:59Z",
        "9999-12-31T23:59:59Z",
    ])
    func valid(text: String) {
        #expect(RFC3339.isValid(text))
    }

    @Test("malformed or impossible timestamps are invalid", arguments: [
        "2006-01-02T15:04:05", "2006-01-02", "2006-01-02T15:04Z", "2006-01-02T15:04:05z", "2006-01-02T15:04:05+0700",
        "2006-01-02T15:04:05+07", "2006-01-02T15:04:05.Z", "2006-01-02T15:04:05ZZ", "2006-02-30T00:00:00Z",
        "2100-02-29T00:00:00Z", "2006-06-31T00:00:00Z", "2006-00-10T00:00:00Z", "2006-01-02T25:00:00Z", "206-01-02T15:04:05Z",
        " 2006-01-02T15:04:05Z", "2006-01-02T15:04:05Z ", "２００６-01-02T15:04:05Z",
    ])
    func invalid(text: String) {
        #expect(!RFC3339.isValid(text))
    }

    @Test("zone offsets are not range-checked, as Go's time.Parse does not check them",
          arguments: ["2016-01-02T15:04:05+24:00", "2016-01-02T15:04:05+00:60", "2016-01-02T15:04:05-99:99"])
    func zoneOffsetsUnchecked(text: String) {
        // Reference: each of these validates as a `created` annotation.
        #expect(RFC3339.isValid(text))
    }
}
