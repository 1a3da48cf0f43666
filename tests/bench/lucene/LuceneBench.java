// The Lucene side of tests/bench/speed.py: a results page (top 10 with their stored text) for
// each query of a file, timed per query, twice (cold: a freshly opened index; warm: again).
// Lucene's ArabicAnalyzer and BM25 (k1=0.9, b=0.4) on the "contents" field, as Anserini's
// -language ar index of the same articles. Prints one line: RESULT {"cold": [...], "warm": [...]}
// with milliseconds per query, in the order of the file.
//
//   javac -cp anserini-fatjar.jar -d OUT LuceneBench.java
//   java -cp anserini-fatjar.jar:OUT LuceneBench INDEX_DIR QUERIES_FILE

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;

public final class LuceneBench {
  private static final String FIELD = "contents";
  private static final int PAGE = 10;

  private LuceneBench() {}

  public static void main(String[] args) throws Exception {
    List<String> queries = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
    queries.removeIf(String::isBlank);
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(args[0])))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(new BM25Similarity(0.9f, 0.4f));
      QueryParser parser = new QueryParser(FIELD, new ArabicAnalyzer());
      List<Double> cold = pass(searcher, parser, queries);
      List<Double> warm = pass(searcher, parser, queries);
      System.out.println("RESULT {\"cold\": " + cold + ", \"warm\": " + warm + "}");
    }
  }

  private static List<Double> pass(IndexSearcher searcher, QueryParser parser, List<String> queries)
      throws Exception {
    List<Double> times = new ArrayList<>();
    long stored = 0;
    for (String text : queries) {
      long start = System.nanoTime();
      Query query;
      try {
        query = parser.parse(text);
      } catch (ParseException e) {
        query = parser.parse(QueryParser.escape(text));
      }
      TopDocs top = searcher.search(query, PAGE);
      for (ScoreDoc hit : top.scoreDocs) {
        Document doc = searcher.storedFields().document(hit.doc);
        String contents = doc.get(FIELD);
        stored += contents == null ? 0 : contents.length();
      }
      times.add((System.nanoTime() - start) / 1e6);
    }
    if (stored < 0) {
      throw new IllegalStateException("unreachable: keeps the stored text read");
    }
    return times;
  }
}
