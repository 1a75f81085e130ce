import Testing
@testable import MIEngine

/// Malformed CSV input: each case asserts the exact message, position included.
@Suite struct CSVErrorTests {
    /// The error text of reading `text` as `data.csv` with these selections.
    func csvError(_ text: String, x: [ColumnSelector] = ["x"], y: [ColumnSelector] = ["y"],
                  options: CSVOptions = CSVOptions()) -> String? {
        errorText { () throws(DataFileError) in
            _ = try CSVData.read(bytes: utf8(text), file: "data.csv", x: x, y: y, options: options)
        }
    }

    @Test func badNumberNamesLineColumnAndColumnName() {
        let text = "x1,x2,y1,y2\n1,2,3,4\n5,6,7,n/a\n"
        #expect(csvError(text, x: ["x1", "x2"], y: ["y1..y2"]) == "data.csv:3:7: expected a number in column 'y2', found 'n/a'")
    }

    @Test func badNumberInAFileNamesThePath() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.csv", text: "x,y\n1,2\n\n# note\n3, 4x\n")
        let message = errorText { () throws(DataFileError) in
            _ = try FixedDataset(csv: path, x: ["x"], y: ["y"])
        }
        #expect(message == "\(path):5:4: expected a number in column 'y', found '4x'")
    }

    @Test func columnsCountUnicodeScalarsAndLinesCountInsideQuotes() {
        #expect(csvError("a,b\nä ö,zz\n", x: ["b"], y: ["a"])
                == "data.csv:2:5: expected a number in column 'b', found 'zz'")
        #expect(csvError("name,x,y\n\"multi\nline\",1,bad\n")
                == "data.csv:3:9: expected a number in column 'y', found 'bad'")
    }

    @Test func raggedRows() {
        #expect(csvError("x,y\n1,2\n3\n") == "data.csv:3:2: expected 2 fields as in the header (line 1), found 1")
        #expect(csvError("x,y\n1,2,3\n") == "data.csv:2:5: expected 2 fields as in the header (line 1), found 3")
        #expect(csvError("x,y\n1,2,\n") == "data.csv:2:5: expected 2 fields as in the header (line 1), found 3")
    }

    @Test func unknownColumnSuggestsTheNearestName() {
        #expect(csvError("x1,y\n1,2\n", x: ["x_1"]) == "data.csv:1: unknown column 'x_1' in the x columns; did you mean 'x1'?")
        #expect(csvError("# comment\nx1,y\n1,2\n", x: ["x1"], y: ["Y"])
                == "data.csv:2: unknown column 'Y' in the y columns; did you mean 'y'?")
        #expect(csvError("x1,y\n1,2\n", x: ["x1"], y: ["zeta"])
                == "data.csv:1: unknown column 'zeta' in the y columns; the columns are 'x1', 'y'")
        #expect(csvError("x1,x2,y\n1,2,3\n", x: ["x1..x3"])
                == "data.csv:1: unknown column 'x3' in the x columns; did you mean 'x1'?")
    }

    @Test func emptyFileCommentsOnlyAndHeaderOnly() {
        #expect(csvError("") == "data.csv: the file is empty; expected a header row naming the columns")
        #expect(csvError("\u{FEFF} \n\r\n") == "data.csv: the file is empty; expected a header row naming the columns")
        #expect(csvError("# only\n# comments\n")
                == "data.csv: the file holds only comment lines; expected a header row naming the columns")
        #expect(csvError("x,y\n") == "data.csv: expected data rows after the header (line 1), found none")
        #expect(csvError("x,y\n\n# nothing\n") == "data.csv: expected data rows after the header (line 1), found none")
    }

    @Test func quoting() {
        #expect(csvError("x,y\n1,\"2\n3,4\n")
                == "data.csv:2:3: unterminated quoted field: expected a closing '\"' before the end of the file")
        #expect(csvError("x,y\n1,2\"3\n")
                == "data.csv:2:4: unexpected '\"' inside an unquoted field; expected the delimiter ',' or the end "
                + "of the line (quote the whole field and write a quote inside it as \"\")")
        #expect(csvError("x,y\n\"1\" x,2\n")
                == "data.csv:2:5: expected the delimiter ',' or the end of the line after the closing quote, found 'x'")
    }

    @Test func nonFiniteAndEmptyValues() {
        #expect(csvError("x,y\n1,NaN\n") == "data.csv:2:3: expected a finite number in column 'y', found 'NaN'")
        #expect(csvError("x,y\n-inf,1\n") == "data.csv:2:1: expected a finite number in column 'x', found '-inf'")
        #expect(csvError("x,y\n1e999,1\n")
                == "data.csv:2:1: expected a finite number in column 'x', found '1e999', which is too large for a Double")
        #expect(csvError("x,y\n1,  \n") == "data.csv:2:5: expected a number in column 'y', found an empty field")
        #expect(csvError("x,\n1,a\n", x: ["x"], y: [1])
                == "data.csv:2:3: expected a number in the unnamed column at index 1, found 'a'")
    }

    @Test func badSelections() {
        #expect(csvError("x,y\n1,2\n", x: ["x", "x"])
                == "data.csv:1: column 'x' is selected twice in the x columns; each column may be used once")
        #expect(csvError("x,y\n1,2\n", x: ["x..y"], y: ["y"])
                == "data.csv:1: column 'y' is selected in both the x and the y columns; each column may be used once")
        #expect(csvError("a,b,c\n1,2,3\n", x: ["c..a"], y: ["b"])
                == "data.csv:1: column range 'c..a' in the x columns runs backwards: 'c' is column 2 and 'a' column 0")
        #expect(csvError("x,y\n1,2\n", x: [5])
                == "data.csv:1: column index 5 in the x columns is out of range; the file has 2 columns (indices 0 to 1)")
        #expect(csvError("x,y\n1,2\n", x: []) == "data.csv:1: no x columns selected; expected at least one")
        #expect(csvError("x,x,y\n1,2,3\n")
                == "data.csv:1: column name 'x' in the x columns is ambiguous: the header uses it for columns 0, 1; select by index")
    }

    @Test func badOptionsAndEncoding() {
        #expect(csvError("x,y\n1,2\n", options: CSVOptions(delimiter: "\""))
                == "data.csv: the delimiter must be a single ASCII character other than a quote, a space or a line break, found '\"'")
        #expect(csvError("x,y\n1,2\n", options: CSVOptions(delimiter: ";", commentPrefix: ";"))
                == "data.csv: the comment prefix and the delimiter are both ';'; they must differ")
        let invalid: [UInt8] = utf8("x,y\n1,") + [0xFF, 0xFE] + utf8("\n")
        let message = errorText { () throws(DataFileError) in
            _ = try CSVData.read(bytes: invalid, file: "data.csv", x: ["x"], y: ["y"])
        }
        #expect(message == "data.csv:2:3: expected UTF-8 text, found a field with invalid UTF-8 bytes")
    }

    @Test func missingFileAndTooFewRowsForTheSplit() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path + "/nope.csv"
        #expect(errorText { () throws(DataFileError) in _ = try FixedDataset(csv: missing, x: ["x"], y: ["y"]) }
                == "\(missing): cannot open the file: No such file or directory")
        let path = try dir.write("two.csv", text: "x,y\n1,2\n3,4\n")
        #expect(errorText { () throws(DataFileError) in _ = try FixedDataset(csv: path, x: ["x"], y: ["y"]) }
                == "\(path): too few rows for the evaluation split: 2 rows with evalFraction 0.2 leave 2 for "
                + "training and 0 held out; expected at least 1 in each part")
        #expect(errorText { () throws(DataFileError) in
            _ = try FixedDataset(csv: path, x: ["x"], y: ["y"], evalFraction: 1)
        } == "\(path): evalFraction must lie in [0, 1), found 1.0")
        // Without a held-out part two rows are enough.
        let all = try FixedDataset(csv: path, x: ["x"], y: ["y"], evalFraction: 0)
        #expect(all.trainIndices.count == 2 && all.evalIndices.isEmpty)
    }
}
