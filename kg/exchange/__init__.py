"""Reading and writing graphs: ``rdfio`` loads any RDF file into pyoxigraph, ``graph`` turns RDF
into the networkx exchange graph, ``dataset`` opens a file into everything the service needs, and
``export`` writes the graph or a part of it in the exchange formats.
"""
