import AmpfixCore
import Testing

@Suite struct ImageSemanageConfigTests {
    @Test func settingsThatShapeThePolicyAreAccepted() {
        let text = """
            # comment
            module-store = direct
            expand-check=0
            save-previous = false
            handle-unknown = allow

            """
        #expect(ImageSemanageConfig.refusals(text).isEmpty)
    }

    @Test func programsRootsAndUnknownKeysAreRefusedByLine() {
        let text = """
            module-store = direct
            [verify kernel]
            path = /bin/sh
            args = -c id
            [end]
            store-root = /../../var/lib/selinux
            compiler-directory = /tmp/hll
            root = /
            module-store = /var/run/setrans
            something-new = 1
            """
        let refused = ImageSemanageConfig.refusals(text)
        #expect(refused.count == 6, "\(refused)")
        #expect(refused[0].hasPrefix("line 2: [verify kernel]"))
        #expect(refused[1].hasPrefix("line 6: store-root"))
        #expect(refused[2].hasPrefix("line 7: compiler-directory"))
        #expect(refused[3].hasPrefix("line 8: root"))
        #expect(refused[4].hasPrefix("line 9: module-store = /var/run/setrans"))
        #expect(refused[5].hasPrefix("line 10: something-new"))
    }
}
