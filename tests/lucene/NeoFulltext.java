// Neo4j's full-text search as Neo4j sets it up, for tests: the `standard-no-stop-words`
// analyzer (a StandardAnalyzer with an empty stop-word set) and a MultiFieldQueryParser over
// the index's properties with leading wildcards allowed (FulltextIndexReader.parseFulltextQuery).
//
// Reads tab-separated lines on stdin: `D<TAB>text` adds a document (numbered from 0),
// `T<TAB>text` prints the analyzer's tokens, `Q<TAB>query` parses and runs a query. Documents
// are indexed before any query runs. Answers one line per T or Q, in order:
//   TOKENS<TAB>tok1 tok2 ...
//   OK<TAB>parsed query<TAB>comma-separated matching document numbers
//   ERROR<TAB>the parser's message on one line
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;

public class NeoFulltext {
    static final String FIELD = "search_text";

    public static void main(String[] args) throws Exception {
        Analyzer analyzer = new StandardAnalyzer(CharArraySet.EMPTY_SET);
        List<String> docs = new ArrayList<>();
        List<String[]> asks = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] parts = line.split("\t", 2);
            if (parts.length < 2) continue;
            if (parts[0].equals("D")) docs.add(parts[1]);
            else asks.add(parts);
        }
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (int i = 0; i < docs.size(); i++) {
                Document doc = new Document();
                doc.add(new StoredField("number", i));
                doc.add(new TextField(FIELD, docs.get(i), Field.Store.NO));
                writer.addDocument(doc);
            }
        }
        StringBuilder out = new StringBuilder();
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            for (String[] ask : asks) {
                if (ask[0].equals("T")) out.append("TOKENS\t").append(tokens(analyzer, ask[1]));
                else out.append(search(analyzer, searcher, ask[1]));
                out.append('\n');
            }
        }
        System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
        System.out.flush();
    }

    static String tokens(Analyzer analyzer, String text) throws Exception {
        List<String> found = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(FIELD, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) found.add(term.toString());
            stream.end();
        }
        return String.join(" ", found);
    }

    static String search(Analyzer analyzer, IndexSearcher searcher, String text) throws Exception {
        MultiFieldQueryParser parser = new MultiFieldQueryParser(new String[] {FIELD}, analyzer);
        parser.setAllowLeadingWildcard(true);
        Query query;
        try {
            query = parser.parse(text);
        } catch (Exception error) {
            return "ERROR\t" + String.valueOf(error.getMessage()).replaceAll("\\s+", " ");
        }
        TreeSet<Integer> hits = new TreeSet<>();
        for (ScoreDoc hit : searcher.search(query, 10000).scoreDocs) {
            hits.add(searcher.doc(hit.doc).getField("number").numericValue().intValue());
        }
        StringBuilder numbers = new StringBuilder();
        for (Integer number : hits) {
            if (numbers.length() > 0) numbers.append(',');
            numbers.append(number);
        }
        return "OK\t" + query.toString().replaceAll("\\s+", " ") + "\t" + numbers;
    }
}
